import { MAX_BOOKS_LISTED } from './identity.controller';
import { jsonAnswer, problems, textAnswer } from '../docs/responses';
import { BooksAnswer, MeAnswer } from './identity.answers';

/** The console's files and the two identity routes it asks first, spread into the document by openapi.ts. */
export const consolePaths = () => ({
  '/': {
    get: {
      operationId: 'console',
      summary: 'The web console (index.html); its pages are hash routes such as /#/audit',
      tags: ['console'],
      security: [],
      responses: { '200': textAnswer('The console page.', 'text/html'), ...problems([404, 'The console is not built (npm run build).']) },
    },
  },
  '/assets/{file}': {
    get: {
      operationId: 'consoleAsset',
      summary: "The console's bundled script and style sheet (hashed names, cached for a year)",
      tags: ['console'],
      security: [],
      parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string', maxLength: 200 } }],
      responses: { '200': textAnswer('The file.', 'text/javascript', 'text/css'), ...problems([404, 'No such asset.']) },
    },
  },
  '/v1/me': {
    get: {
      operationId: 'me',
      summary: 'The authenticated principal: id, name, kind and its grants (role per book or *)',
      tags: ['identity'],
      responses: { '200': jsonAnswer('The principal.', MeAnswer), ...problems(401) },
    },
  },
  '/v1/books': {
    get: {
      operationId: 'listBooks',
      summary: `The books the principal may read (viewer or more), by id, at most ${MAX_BOOKS_LISTED}`,
      tags: ['identity'],
      responses: { '200': jsonAnswer('The books.', BooksAnswer), ...problems(401) },
    },
  },
});
