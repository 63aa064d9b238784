import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemException, problem } from '../http/problem';
import { decodeQuery } from '../http/query.params';
import { OpenApiJsonQuery } from './docs.params';
import { openApiDocument } from './openapi';

/**
 * The contract: its JSON at /docs/openapi.json, and a readable page at /docs (Swagger UI from the
 * swagger-ui-dist package, served from this process: no CDN). The page loads only same-origin files
 * and no inline script, so helmet's default Content-Security-Policy holds unchanged.
 * /docs itself answers the page to a browser (Accept naming text/html) and the JSON to anyone else,
 * as it did before the page existed (curl, scripts and the tests read it that way).
 */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>treasury-engine API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script>
</body>
</html>
`;

/** Swagger UI's start-up, as a file (an inline script would need a CSP exception). */
const INIT = `window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });\n`;

const swaggerDir = (): string => dirname(require.resolve('swagger-ui-dist/package.json'));

export const wantsHtml = (accept: string | undefined): boolean => accept !== undefined && /\btext\/html\b/i.test(accept);

@Controller('docs')
export class DocsController {
  private readonly document = openApiDocument();
  private readonly assets = new Map<string, Buffer>();

  @Get()
  docs(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: Response) {
    if (!wantsHtml(accept)) return this.document;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    return PAGE;
  }

  @Get('openapi.json')
  json(@Query() query: Record<string, unknown>) {
    decodeQuery(OpenApiJsonQuery, query);
    return this.document;
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response) {
    if (file === 'init.js') {
      res.status(200).setHeader('content-type', 'text/javascript; charset=utf-8');
      res.send(INIT);
      return;
    }
    // Only the files listed: the name never reaches the file system otherwise.
    const type = Object.prototype.hasOwnProperty.call(ASSETS, file) ? ASSETS[file] : undefined;
    if (type === undefined) throw new ProblemException(problem(404, 'not-found', 'Not found', `No documentation asset "${file}".`));
    let body = this.assets.get(file);
    if (body === undefined) {
      body = readFileSync(join(swaggerDir(), file));
      this.assets.set(file, body);
    }
    // Sent as bytes (a returned Buffer would be serialised as JSON by Nest).
    res.status(200).setHeader('content-type', type);
    res.setHeader('cache-control', 'public, max-age=3600');
    res.end(body);
  }
}
