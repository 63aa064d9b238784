import { queryCodec } from '../http/query.params';

/** The JSON document takes no parameters; the page (/docs) and its assets are files and take none either, unchecked (see route-queries.ts). */
export const OpenApiJsonQuery = queryCodec('OpenApiJsonQuery', {});
