import { queryCodec } from '../http/query.params';

export const HealthQuery = queryCodec('HealthQuery', {});
export const ReadyQuery = queryCodec('ReadyQuery', {});
