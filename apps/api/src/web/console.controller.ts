import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ProblemException, problem } from '../http/problem';
import { ConsoleFile, consoleDir, loadConsoleFiles } from './console-files';

/**
 * The web console at `/`: index.html and its hashed assets, same origin as the API. Its pages are
 * hash routes (`/#/audit`), so no server path but `/` and `/assets/*` belongs to it and nothing can
 * shadow `/v1`, `/docs`, `/health` or `/ready`.
 */
@Controller()
export class ConsoleController {
  private readonly files = loadConsoleFiles(consoleDir());

  @Get()
  index(@Res() res: Response): void {
    const file = this.files.get('/');
    if (file === undefined) {
      throw new ProblemException(
        problem(404, 'console-not-built', 'Not found', 'The web console is not built: run "npm run build" (npm start does).'),
      );
    }
    send(res, file);
  }

  @Get('assets/:file')
  asset(@Param('file') name: string, @Res() res: Response): void {
    const file = this.files.get(`/assets/${name}`);
    if (file === undefined) throw new ProblemException(problem(404, 'not-found', 'Not found', 'No such console asset.'));
    send(res, file);
  }
}

const send = (res: Response, file: ConsoleFile): void => {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Cache-Control', file.cacheControl);
  res.status(200).end(file.body);
};
