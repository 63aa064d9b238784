import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, FieldError, bookPath, post } from '../api';
import { FormField, commandBody, fieldOfPath, formFields, holds } from '../logic';
import { OpenApi, openApi } from '../openapi';
import type { Book, Me, Role } from '../types';
import { Failure } from './use-answer';

const COMMAND_PATH = /^\/v1\/books\/\{bookId\}\/commands\/([a-z-]+)$/;

/** Every command needs at least a bookkeeper's role (viewers and auditors write nothing). */
export const writableCommands = (me: Me, bookId: string): boolean => holds(me, 'bookkeeper', bookId);

interface Command {
  readonly name: string;
  readonly role: Role;
  readonly fields: ReadonlyArray<FormField>;
}

/** The commands this principal may send on this book, each with its body's fields from the OpenAPI schema. */
const commandsOf = (doc: OpenApi, me: Me, bookId: string): Command[] =>
  Object.entries(doc.paths).flatMap(([path, operations]) => {
    const name = COMMAND_PATH.exec(path)?.[1];
    const operation = operations.post;
    const role = operation?.['x-required-role'] as Role | undefined;
    const schema = operation?.requestBody?.content['application/json']?.schema;
    if (name === undefined || role === undefined || schema === undefined || !holds(me, role, bookId)) return [];
    return [{ name, role, fields: formFields(schema as Parameters<typeof formFields>[0]) }];
  });

const Field = ({
  field,
  id,
  value,
  error,
  onInput,
}: {
  field: FormField;
  id: string;
  value: string | boolean;
  error: string | undefined;
  onInput: (value: string | boolean) => void;
}) => {
  const hint = `${id}-hint`;
  const err = `${id}-error`;
  const described = [field.description === '' ? '' : hint, error === undefined ? '' : err].filter((x) => x !== '').join(' ') || undefined;
  const common = {
    id,
    name: field.name,
    'aria-describedby': described,
    'aria-invalid': error === undefined ? undefined : true,
    'aria-required': field.required || undefined,
  };
  const text = (e: Event) => onInput((e.target as HTMLInputElement).value);
  return (
    <div class={`field${error === undefined ? '' : ' invalid'}`} data-field={field.name}>
      <label for={id}>
        {field.name}
        {field.required && <span aria-hidden="true"> *</span>}
        {field.required && <span class="sr-only"> (required)</span>}
      </label>
      {field.kind === 'select' ? (
        <select {...common} value={String(value)} onChange={text}>
          <option value="">{field.required ? 'choose…' : '(none)'}</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : field.kind === 'checkbox' ? (
        <input {...common} type="checkbox" checked={value === true} onChange={(e) => onInput((e.target as HTMLInputElement).checked)} />
      ) : field.kind === 'json' ? (
        <textarea {...common} rows={4} value={String(value)} onInput={text} placeholder="{ … } (JSON)" />
      ) : field.kind === 'instant' ? (
        <input {...common} type="datetime-local" step={1} value={String(value)} onInput={text} />
      ) : (
        <input
          {...common}
          type="text"
          inputMode={field.kind === 'decimal' ? 'decimal' : undefined}
          value={String(value)}
          onInput={text}
          placeholder={field.example}
        />
      )}
      {field.description !== '' && (
        <p id={hint} class="hint">
          {field.description}
        </p>
      )}
      {error !== undefined && (
        <p id={err} class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
};

const CommandForm = ({ book, command }: { book: Book; command: Command }) => {
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [zone, setZone] = useState(book.timeZone);
  const [errors, setErrors] = useState<ReadonlyArray<FieldError>>([]);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string>('');
  const byField = new Map<string, string>();
  for (const e of errors) {
    const field = fieldOfPath(e.path);
    byField.set(field, `${byField.has(field) ? `${byField.get(field)}; ` : ''}${e.path === field ? '' : `${e.path}: `}${e.message}`);
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors([]);
    setFailure(null);
    setDone('');
    try {
      const result = await post<{ revision: number; events: ReadonlyArray<{ type: string }> }>(
        bookPath(book.bookId, `commands/${command.name}`),
        commandBody(command.fields, values, zone),
      );
      setDone(`Recorded: ${result.events.map((e) => e.type).join(', ') || 'nothing new'} (revision ${result.revision}).`);
      setValues({});
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'Error', String(error));
      const known = new Set(command.fields.map((f) => f.name));
      const inline = apiError.errors.filter((e) => known.has(fieldOfPath(e.path)));
      setErrors(inline);
      if (inline.length < apiError.errors.length || apiError.errors.length === 0) setFailure(apiError);
    }
  };
  const zones = [...new Set([book.timeZone, 'UTC'])];
  return (
    <form class="command" onSubmit={submit} noValidate aria-labelledby="h-command" data-command={command.name}>
      <h2 id="h-command">
        {command.name} <span class="muted">(needs {command.role})</span>
      </h2>
      {command.fields.some((f) => f.kind === 'instant') && (
        <label class="zone">
          Times are in{' '}
          <select name="_zone" value={zone} onChange={(e) => setZone((e.target as HTMLSelectElement).value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
      )}
      {command.fields.map((field) => (
        <Field
          key={field.name}
          field={field}
          id={`f-${field.name}`}
          value={values[field.name] ?? (field.kind === 'checkbox' ? false : '')}
          error={byField.get(field.name)}
          onInput={(v) => setValues({ ...values, [field.name]: v })}
        />
      ))}
      {failure !== null && <Failure error={failure} />}
      {done !== '' && (
        <p role="status" class="notice ok">
          {done}
        </p>
      )}
      <button type="submit">Send {command.name}</button>
    </form>
  );
};

/** A form per command the principal may send, generated from the command's schema in the OpenAPI document. */
export const CommandsPage = ({ book, me }: { book: Book; me: Me }) => {
  const [doc, setDoc] = useState<OpenApi | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [chosen, setChosen] = useState('');
  useEffect(() => {
    openApi().then(setDoc, (e: unknown) => setError(e instanceof ApiError ? e : new ApiError(0, 'Error', String(e))));
  }, []);
  const commands = useMemo(() => (doc === null ? [] : commandsOf(doc, me, book.bookId)), [doc, me, book.bookId]);
  const command = commands.find((c) => c.name === chosen) ?? commands[0];
  return (
    <>
      <h1>
        {book.name} <span class="muted">commands</span>
      </h1>
      {error !== null && <Failure error={error} />}
      {doc !== null && (
        <label>
          Command{' '}
          <select name="command" value={command?.name ?? ''} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
            {commands.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {/* Keyed by command: another command mounts a fresh form, so nothing typed into it can be wiped by a reset that runs later. */}
      {command !== undefined && <CommandForm key={`${book.bookId}|${command.name}`} book={book} command={command} />}
    </>
  );
};
