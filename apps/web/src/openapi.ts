import { ApiError } from './api';

/** The API's own contract: command schemas and roles come from it, so the forms match what the API decodes. */
export interface OpenApi {
  readonly paths: Readonly<
    Record<
      string,
      Readonly<
        Record<
          string,
          {
            readonly 'x-required-role'?: string;
            readonly requestBody?: { readonly content: Readonly<Record<string, { readonly schema: unknown }>> };
          }
        >
      >
    >
  >;
  readonly components: {
    readonly schemas: Readonly<
      Record<string, { readonly properties?: Readonly<Record<string, { readonly enum?: ReadonlyArray<string> }>> }>
    >;
  };
}

let loaded: Promise<OpenApi> | undefined;

/** /docs/openapi.json (where /docs serves the reference page), or /docs itself on a server where that is the JSON. */
export const openApi = (): Promise<OpenApi> => {
  loaded ??= (async () => {
    for (const path of ['/docs/openapi.json', '/docs']) {
      const response = await fetch(path, { headers: { accept: 'application/json' } });
      if (response.ok && (response.headers.get('content-type') ?? '').includes('json')) return (await response.json()) as OpenApi;
    }
    throw new ApiError(0, 'No contract', 'The OpenAPI document could not be read from /docs/openapi.json.');
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
};

export const eventTypes = (doc: OpenApi): ReadonlyArray<string> => doc.components.schemas.StoredEvent?.properties?.type?.enum ?? [];
