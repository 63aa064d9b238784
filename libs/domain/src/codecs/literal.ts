import * as t from 'io-ts';
import { withSchema } from './schema-registry';

export const literal = <L extends string>(value: L) => withSchema(t.literal(value), { type: 'string', enum: [value] });
