import * as t from 'io-ts';
import { asComponent } from '@treasury/domain';
import { InstantText, SameShape, closed } from '../docs/answer-codecs';
import type { IdentityController } from './identity.controller';

const RoleText = t.keyof({ viewer: null, auditor: null, bookkeeper: null, treasurer: null, admin: null });

/** GET /v1/me: the authenticated principal and its grants (what the console shows and hides by). */
export const MeAnswer = asComponent(
  closed({
    id: t.string,
    name: t.string,
    kind: t.keyof({ 'api-key': null, oidc: null, local: null }),
    grants: t.array(closed({ role: RoleText, books: t.union([t.literal('*'), t.array(t.string)]) })),
  }),
  'Me',
);

/** GET /v1/books: the books the principal holds at least a viewer's role on. */
export const BooksAnswer = asComponent(
  closed({
    books: t.array(closed({ bookId: t.string, name: t.string, timeZone: t.string, openedAt: InstantText })),
    truncated: t.boolean,
  }),
  'Books',
);

export const meAnswerIsTheView: SameShape<ReturnType<IdentityController['me']>, t.TypeOf<typeof MeAnswer>> = [(v) => v, (a) => a];
export const booksAnswerIsTheView: SameShape<Awaited<ReturnType<IdentityController['books']>>, t.TypeOf<typeof BooksAnswer>> = [
  (v) => v,
  (a) => a,
];
