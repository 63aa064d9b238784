import type { AnyQueryCodec, Param } from '../http/query.params';
import { FILE, queryCodecOf } from './route-queries';
import { toSchema } from './responses';

type Parameters = ReadonlyArray<Record<string, unknown>>;

const COMMAND_PATH = /^\/v1\/books\/\{bookId\}\/commands\/[^/]+$/;

/** `get` + `/v1/books/{bookId}/position` -> `GET /v1/books/:bookId/position`; every command path -> the one command route. */
export const routeOf = (method: string, path: string): string =>
  `${method.toUpperCase()} ${COMMAND_PATH.test(path) ? '/v1/books/:bookId/commands/:command' : path.replace(/\{(\w+)\}/g, ':$1')}`;

/** A query codec's parameters as OpenAPI describes them: name, required, the schema of the string form, description. */
export const queryParameters = (codec: AnyQueryCodec) =>
  Object.entries(codec.fields as Record<string, Param<unknown>>).map(([name, param]) => ({
    name,
    in: 'query',
    required: param.required,
    schema: toSchema(param.codec),
    ...(param.description === undefined ? {} : { description: param.description }),
  }));

/**
 * Appends to every operation the query parameters of its route's codec. A query parameter written by
 * hand is an error: the document would then say what no codec decodes.
 */
export const withQueryParameters = <P extends Record<string, Record<string, object>>>(paths: P): P =>
  Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      Object.fromEntries(
        Object.entries(operations).map(([method, operation]) => {
          const written = (operation as { parameters?: Parameters }).parameters ?? [];
          const byHand = written.filter((parameter) => parameter['in'] === 'query');
          if (byHand.length > 0)
            throw new Error(
              `${routeOf(method, path)}: query parameter ${String(byHand[0]?.['name'])} written by hand; give the route's query codec the field`,
            );
          const codec = queryCodecOf(routeOf(method, path));
          const generated = codec === FILE ? [] : queryParameters(codec);
          const parameters = [...written, ...generated];
          return [method, parameters.length === 0 ? operation : { ...operation, parameters }];
        }),
      ),
    ]),
  ) as P;
