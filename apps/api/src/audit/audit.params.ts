import { queryCodec } from '../http/query.params';

export const BookVerifyQuery = queryCodec('VerifyBookQuery', {});
