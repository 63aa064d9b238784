import { queryCodec } from '../http/query.params';

export const MeQuery = queryCodec('MeQuery', {});
export const BooksQuery = queryCodec('BooksQuery', {});
