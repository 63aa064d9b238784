import { Controller, Get, Param, Query } from '@nestjs/common';
import * as E from 'fp-ts/Either';
import { BookCommandService, PositionProjector, WebhookDeliveryWorker } from '@treasury/application';
import { WebhookId, toFieldErrors } from '@treasury/domain';
import { ProblemException, invalidRequest, problem } from '../http/problem';
import { decodeQuery } from '../http/query.params';
import { requireBookId } from '../http/request-fields';
import { DeliveriesQuery, MAX_DELIVERIES_PAGE, WebhooksQuery } from './webhook.params';
import { deliveryView, webhookView } from './webhook-views';

export { MAX_DELIVERIES_PAGE };
/** How long a read waits for the worker to have followed this process's last write. */
const READ_YOUR_WRITES_MS = 5_000;

const requireWebhookId = (raw: string): string => {
  const decoded = WebhookId.decode(raw);
  if (E.isLeft(decoded)) throw new ProblemException(invalidRequest(toFieldErrors(decoded.left).map((e) => ({ ...e, path: 'webhookId' }))));
  return decoded.right;
};

/** A book's webhooks and their delivery logs (registering, disabling and redelivering are commands). */
@Controller('v1/books/:bookId/webhooks')
export class WebhooksController {
  constructor(
    private readonly worker: WebhookDeliveryWorker,
    private readonly projector: PositionProjector,
    private readonly commands: BookCommandService,
  ) {}

  private async known(bookId: string): Promise<void> {
    await this.worker.waitFor(this.commands.lastAcknowledgedPosition, READ_YOUR_WRITES_MS);
    await this.projector.waitFor(this.commands.lastAcknowledgedPosition, READ_YOUR_WRITES_MS);
    if (this.projector.book(bookId) === undefined)
      throw new ProblemException(problem(404, 'book-not-found', 'Book not found', `No book "${bookId}" exists.`));
  }

  @Get()
  async list(@Param('bookId') rawBookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    decodeQuery(WebhooksQuery, query);
    await this.known(bookId);
    return {
      bookId,
      webhooks: this.worker
        .list(bookId)
        .map((registration) => webhookView(registration, this.worker.summary(bookId, registration.webhookId))),
    };
  }

  /** The endpoint's delivery log, oldest first: `after` is the last sequence read, `next` the cursor to pass. */
  @Get(':webhookId/deliveries')
  async deliveries(@Param('bookId') rawBookId: string, @Param('webhookId') rawWebhookId: string, @Query() query: Record<string, unknown>) {
    const bookId = requireBookId(rawBookId);
    const webhookId = requireWebhookId(rawWebhookId);
    const { after, limit = MAX_DELIVERIES_PAGE } = decodeQuery(DeliveriesQuery, query);
    await this.known(bookId);
    const registration = this.worker.find(bookId, webhookId);
    if (registration === undefined)
      throw new ProblemException(problem(404, 'webhook-not-found', 'Webhook not found', `No webhook "${webhookId}" in book "${bookId}".`));
    const page = await this.worker.deliveries(bookId, webhookId, after === undefined ? 0 : after + 1, limit);
    if (E.isLeft(page))
      throw new ProblemException(problem(503, 'store-unavailable', 'Store unavailable', 'The delivery log could not be read; try again.'));
    const deliveries = page.right.map(deliveryView);
    const last = deliveries[deliveries.length - 1];
    return {
      bookId,
      webhook: webhookView(registration, this.worker.summary(bookId, webhookId)),
      deliveries,
      next: deliveries.length === limit && last !== undefined ? last.sequence : null,
    };
  }
}
