import { queryCodec } from '../http/query.params';

export const ProposalsQuery = queryCodec('ProposalsQuery', {});
