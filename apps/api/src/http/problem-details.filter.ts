import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { Problem, ProblemException, problem } from './problem';

export const sendProblem = (response: Response, body: Problem): void => {
  // A transient failure says when to retry (command-error.mapper.ts, storeErrorToProblem).
  const retryAfter = body['retryAfterSeconds'];
  if (body.status === 503 && typeof retryAfter === 'number') response.setHeader('Retry-After', String(retryAfter));
  response.status(body.status).type('application/problem+json').send(JSON.stringify(body));
};

/** Every error leaves as application/problem+json: ours, Nest's own (unknown route), and the unexpected. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    sendProblem(response, this.toProblem(exception));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof ProblemException) return exception.problem;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const title = status === 404 ? 'Not found' : exception.name.replace(/Exception$/, '');
      return problem(status, status === 404 ? 'not-found' : `http-${status}`, title, exception.message);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return problem(500, 'internal-error', 'Internal error', 'The server failed unexpectedly; nothing was appended by this request.');
  }
}
