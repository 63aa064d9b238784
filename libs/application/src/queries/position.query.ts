import * as E from 'fp-ts/Either';
import * as TE from 'fp-ts/TaskEither';
import { pipe } from 'fp-ts/function';
import { CalendarDay, endOfDay, formatInstant, startOfDay } from '@treasury/domain';
import {
  BookProjection,
  DEFAULT_LOT_METHOD,
  LotMethod,
  MAX_SERIES_POINTS,
  RawPosition,
  SeriesStep,
  HeldSlice,
  Relief,
  disposalsUpTo,
  ExplanationPage,
  Position,
  explainFigureSteps,
  explanationPageSteps,
  YearMonth,
  ReportMonth,
  MonthEndRow,
  monthEndReport,
  LotBook,
  lotBook,
  PnlReport,
  pnlReport,
  reportMonths,
  Reconciliation,
  reconciliation,
  positionFrom,
  seriesInstants,
  preparedWalletFifoLotBook,
  walletFifoSteps,
} from '@treasury/projections';
import { Clock } from '../ports/clock';
import { EventLoopSlicer, runInSlices } from './event-loop-slices';
import type { PositionProjector } from '../projections/position-projector';

export type PositionQueryError =
  | { readonly _tag: 'BookNotFound' }
  | { readonly _tag: 'ProjectionBehind'; readonly logPosition: bigint; readonly checkpoint: bigint; readonly waitedMs: number }
  | { readonly _tag: 'BeyondLog'; readonly logPosition: bigint; readonly head: bigint }
  | {
      readonly _tag: 'ProjectionFailed';
      readonly message: string;
      /** The event the book's projection could not fold. */
      readonly event?: { readonly eventId: string; readonly revision: number; readonly logPosition: bigint };
    }
  | { readonly _tag: 'TooManyResults'; readonly what: string; readonly max: number }
  | { readonly _tag: 'UnknownFigure'; readonly message: string }
  /** knownAt is before the book's first recorded event: nothing was known yet (not "we held nothing"). */
  | { readonly _tag: 'NothingKnownYet'; readonly knownAt: number; readonly firstRecordedAt: number }
  /** A report whose every month ends before the book opened. */
  | { readonly _tag: 'BeforeBookOpened'; readonly openedAt: number };

/**
 * A time a query names: an instant, or a date-only value (`asOf=2025-10-31`) read on the book's
 * calendar once the book is known: the end of that day (its last millisecond) in the book's time zone,
 * or its start where the value opens a range (`from` of disposals).
 */
export type QueryTime = number | { readonly date: CalendarDay; readonly at: 'start' | 'end' };

export const resolveQueryTime = (time: QueryTime, timeZone: string): number =>
  typeof time === 'number' ? time : time.at === 'end' ? endOfDay(timeZone, time.date) : startOfDay(timeZone, time.date);

/** Read-your-writes: the log position the answer must include. */
export interface Freshness {
  readonly minLogPosition?: bigint;
  /** What the ledger knew: an instant, or a date (the end of that day in the book's zone). */
  readonly knownAt?: QueryTime;
}

export const MAX_DISPOSALS = 10_000;
/** How long a query waits for the projection to reach the position it must include. */
export const DEFAULT_FRESHNESS_WAIT_MS = 5_000;

/**
 * The position queries: every answer is computed from the projection at the requested cuts, after the
 * projection has folded at least `minLogPosition` (by default, everything this process has acknowledged).
 */
export class PositionQueries {
  constructor(
    private readonly projector: PositionProjector,
    private readonly clock: Clock,
    /** The last log position this process acknowledged to a client. */
    private readonly acknowledged: () => bigint,
    private readonly waitMs = DEFAULT_FRESHNESS_WAIT_MS,
  ) {}

  position(bookId: string, cut: { readonly asOf?: QueryTime } & LotMethodChoice & Freshness) {
    const method = cut.method ?? DEFAULT_LOT_METHOD;
    return pipe(
      this.ready(bookId, cut),
      TE.flatMap(({ book, knownAt, version: version, timeZone }) => {
        const asOf = cut.asOf === undefined ? this.clock.now() : resolveQueryTime(cut.asOf, timeZone);
        const raw = book.raw(asOf, version);
        // Values: the answer's JSON view is the API's (apps/api/src/positions/position.view.ts).
        const answer = (figures: RawPosition): PositionFound => ({
          bookId,
          ...header(knownAt, version),
          method,
          position: positionFrom(figures),
        });
        // fifo: the projection's own figures, no simulation. wallet-fifo: its relief, in event-loop slices.
        if (method === 'fifo') return TE.right(answer(raw));
        return TE.fromTask(async () =>
          answer({ ...raw, relievedCostUsd: await runInSlices(walletFifoSteps.relievedCost(book, version, asOf)) }),
        );
      }),
    );
  }

  series(bookId: string, query: { readonly from: QueryTime; readonly to: QueryTime; readonly every: SeriesStep } & Freshness) {
    return pipe(
      this.ready(bookId, query),
      TE.flatMap(({ book, knownAt, version: version, timeZone }) => {
        const from = resolveQueryTime(query.from, timeZone);
        const to = resolveQueryTime(query.to, timeZone);
        const instants = seriesInstants(from, to, query.every, MAX_SERIES_POINTS, timeZone);
        if (instants === undefined)
          return TE.left<PositionQueryError>({ _tag: 'TooManyResults', what: 'series points', max: MAX_SERIES_POINTS });
        const found: SeriesFound = {
          bookId,
          ...header(knownAt, version),
          from,
          to,
          every: query.every,
          points: instants.map((asOf) => positionFrom(book.raw(asOf, version))),
        };
        return TE.right(found);
      }),
    );
  }

  lots(bookId: string, cut: { readonly asOf?: QueryTime } & LotMethodChoice & Freshness) {
    const method = cut.method ?? DEFAULT_LOT_METHOD;
    return pipe(
      this.ready(bookId, cut),
      TE.flatMap(({ book, knownAt, version: version, timeZone }) => async () => {
        const asOf = cut.asOf === undefined ? this.clock.now() : resolveQueryTime(cut.asOf, timeZone);
        const slices = method === 'fifo' ? book.openLots(asOf, version) : await runInSlices(walletFifoSteps.openLots(book, version, asOf));
        return E.right<PositionQueryError, OpenLotsFound>({ bookId, asOf, ...header(knownAt, version), method, slices: [...slices] });
      }),
    );
  }

  disposals(bookId: string, range: { readonly from?: QueryTime; readonly to?: QueryTime } & LotMethodChoice & Freshness) {
    const method = range.method ?? DEFAULT_LOT_METHOD;
    return pipe(
      this.ready(bookId, range),
      TE.flatMap(({ book, knownAt, version: version, timeZone }) => async (): Promise<E.Either<PositionQueryError, DisposalsFound>> => {
        const from = range.from === undefined ? Number.MIN_SAFE_INTEGER : resolveQueryTime(range.from, timeZone);
        const to = range.to === undefined ? this.clock.now() : resolveQueryTime(range.to, timeZone);
        // wallet-fifo stops its pass at the first disposal beyond the limit (undefined: too many).
        const reliefs =
          method === 'fifo'
            ? book.disposals(from, to, version)
            : await runInSlices(walletFifoSteps.disposals(book, version, from, to, MAX_DISPOSALS));
        const disposals = reliefs === undefined ? undefined : disposalsUpTo(reliefs, MAX_DISPOSALS);
        if (disposals === undefined) return E.left({ _tag: 'TooManyResults', what: 'disposals', max: MAX_DISPOSALS });
        return E.right({
          bookId,
          from: range.from === undefined ? null : from,
          to,
          ...header(knownAt, version),
          method,
          reliefs: disposals,
        });
      }),
    );
  }

  explain(
    bookId: string,
    query: { readonly figure: string; readonly asOf?: QueryTime; readonly offset: number; readonly limit: number } & Freshness,
  ) {
    return pipe(
      this.ready(bookId, query),
      // A sum over a long book walks every event: in slices, so other requests are answered meanwhile.
      TE.flatMap(({ book, knownAt, version: version, timeZone }) => async (): Promise<E.Either<PositionQueryError, ExplanationFound>> => {
        const asOf = query.asOf === undefined ? this.clock.now() : resolveQueryTime(query.asOf, timeZone);
        const slicer = new EventLoopSlicer();
        const explained = await runInSlices(explainFigureSteps(book, query.figure, asOf, version), slicer);
        if (E.isLeft(explained)) return E.left({ _tag: 'UnknownFigure', message: explained.left });
        const page = await runInSlices(explanationPageSteps(explained.right, query.offset, query.limit), slicer);
        return E.right({ bookId, asOf, ...header(knownAt, version), figure: query.figure, page });
      }),
    );
  }

  /** Months on the book's calendar (its time zone), from the month it opened in at the earliest. */
  monthEnd(bookId: string, query: MonthlyQuery): TE.TaskEither<PositionQueryError, MonthEndFound> {
    return this.monthly(bookId, query, (book, version, months, lots) => ({ months: monthEndReport(book, months, version, lots) }));
  }

  /**
   * The period P&L per month on the book's calendar and in total, under a lot method; cost per BTC mined
   * from the production-cost categories of the account mapping in force at the version (none: no costs).
   */
  pnl(bookId: string, query: MonthlyQuery): TE.TaskEither<PositionQueryError, PnlFound> {
    return this.monthly(bookId, query, (book, version, months, lots) => {
      const categories = new Set(book.accountMappingAt(version)?.productionCostCategories ?? []);
      const balanceSheet = new Set(book.accountMappingAt(version)?.balanceSheetCategories ?? []);
      return {
        productionCostCategories: [...categories].sort(),
        balanceSheetCategories: [...balanceSheet].sort(),
        report: pnlReport(book, lots, months, version, categories, balanceSheet),
      };
    });
  }

  /** A report by calendar month under a lot method: its shared header, then what `build` makes of the months. */
  private monthly<A extends object>(
    bookId: string,
    query: MonthlyQuery,
    build: (book: BookProjection, version: number, months: ReadonlyArray<ReportMonth>, lots: LotBook) => A,
  ): TE.TaskEither<PositionQueryError, MonthlyHeader & A> {
    return pipe(
      this.ready(bookId, query),
      TE.flatMap(
        ({ book, knownAt, version: version, timeZone, openedAt }) =>
          async (): Promise<E.Either<PositionQueryError, MonthlyHeader & A>> => {
            const range = reportMonths(query.from, query.to, { timeZone, openedAt });
            if (range?.months === undefined) return E.left({ _tag: 'BeforeBookOpened', openedAt });
            const { year, month } = range.firstMonth;
            const method = query.method ?? DEFAULT_LOT_METHOD;
            const lots = await preparedLotBook(book, version, method);
            const monthly: MonthlyHeader = {
              bookId,
              ...header(knownAt, version),
              timeZone,
              bookOpenedAt: openedAt,
              firstMonth: `${year}-${String(month).padStart(2, '0')}`,
              method,
            };
            return E.right({ ...monthly, ...build(book, version, range.months, lots) });
          },
      ),
    );
  }

  reconciliation(bookId: string, query: Freshness): TE.TaskEither<PositionQueryError, ReconciliationFound> {
    return pipe(
      this.ready(bookId, query),
      TE.map(({ book, knownAt, version: version }) => ({
        bookId,
        ...header(knownAt, version),
        reconciliation: reconciliation(book, version),
      })),
    );
  }

  /** The same readiness for the read models that also read the log (the journal): freshness, the book, the version known at knownAt. */
  readyBook(bookId: string, query: Freshness): TE.TaskEither<PositionQueryError, Ready> {
    return this.ready(bookId, query);
  }

  /** Waits for freshness, then finds the book and the version known at `knownAt` (default now). */
  private ready(bookId: string, query: Freshness): TE.TaskEither<PositionQueryError, Ready> {
    return async () => {
      const logPosition = query.minLogPosition ?? this.acknowledged();
      // A position the log has not reached would only time out: say so at once (a client's mistake, not ours).
      if (query.minLogPosition !== undefined && query.minLogPosition > this.projector.checkpoint) {
        const head = await this.projector.logHead();
        if (head !== undefined && query.minLogPosition > head)
          return E.left({ _tag: 'BeyondLog', logPosition: query.minLogPosition, head });
      }
      const started = Date.now();
      const reached = await this.projector.waitFor(logPosition, this.waitMs);
      // A failed book answers 503 naming its event; the other books keep answering.
      const failed = this.projector.failureOf(bookId);
      if (failed !== undefined)
        return E.left({
          _tag: 'ProjectionFailed',
          message: failed.message,
          event: { eventId: failed.eventId, revision: failed.revision, logPosition: failed.logPosition },
        });
      if (!reached) {
        return E.left({ _tag: 'ProjectionBehind', logPosition, checkpoint: this.projector.checkpoint, waitedMs: Date.now() - started });
      }
      const book = this.projector.book(bookId);
      if (book === undefined) return E.left({ _tag: 'BookNotFound' });
      const calendar = book.calendar();
      if (calendar === undefined) return E.left({ _tag: 'BookNotFound' });
      const knownAt = query.knownAt === undefined ? this.clock.now() : resolveQueryTime(query.knownAt, calendar.timeZone);
      const version = book.versionAt(knownAt);
      // Before the first recorded event the ledger knew nothing: zeros would read as "we held nothing".
      if (version === 0) return E.left({ _tag: 'NothingKnownYet', knownAt, firstRecordedAt: calendar.firstRecordedAt });
      return E.right({ book, knownAt, version, timeZone: calendar.timeZone, openedAt: calendar.openedAt });
    };
  }
}

/**
 * A lot method's LotBook ready to answer at once: wallet-fifo simulates the book's queues on its first
 * read of a version, so that pass runs here in event-loop slices (other requests are answered meanwhile)
 * and the LotBook keeps the relief index it built (a binary search per figure), so no eviction from the
 * shared cache by other versions' reads can make it re-run the pass in one synchronous step.
 */
export const preparedLotBook = async (
  book: BookProjection,
  version: number,
  method: LotMethod,
  slicer?: EventLoopSlicer,
): Promise<LotBook> =>
  method === 'wallet-fifo' ? runInSlices(preparedWalletFifoLotBook(book, version), slicer) : lotBook(book, version, method);

type MonthlyQuery = { readonly from: YearMonth; readonly to: YearMonth; readonly method?: LotMethod } & Freshness;

/** What every monthly report answers before its months (values, formatted by the API's views). */
export type MonthlyHeader = ReturnType<typeof header> & {
  readonly bookId: string;
  readonly timeZone: string;
  readonly bookOpenedAt: number;
  /** The month the report starts in ("YYYY-MM"): the one asked for, or the book's first. */
  readonly firstMonth: string;
  readonly method: LotMethod;
};

/** The month-end report found: a row per month (values, formatted by the API's view). */
export type MonthEndFound = MonthlyHeader & { readonly months: ReadonlyArray<MonthEndRow> };

/** The P&L found, with the account mapping's categories it used (values, formatted by the API's view). */
export type PnlFound = MonthlyHeader & {
  readonly productionCostCategories: ReadonlyArray<string>;
  readonly balanceSheetCategories: ReadonlyArray<string>;
  readonly report: PnlReport;
};

/** The reports beside the ledger at a cut (values, formatted by the API's view). */
export type ReconciliationFound = ReturnType<typeof header> & { readonly bookId: string; readonly reconciliation: Reconciliation };

interface Ready {
  readonly book: BookProjection;
  readonly knownAt: number;
  readonly version: number;
  readonly timeZone: string;
  readonly openedAt: number;
}

/** The lot method a query asks for (`fifo` unless it says otherwise). */
export interface LotMethodChoice {
  readonly method?: LotMethod;
}

/** The points of a series found: a position per step from `from` to `to` (values, formatted by the API's view). */
export type SeriesFound = ReturnType<typeof header> & {
  readonly bookId: string;
  readonly from: number;
  readonly to: number;
  readonly every: SeriesStep;
  readonly points: ReadonlyArray<Position>;
};

/** The open lots at a cut under a method (values, formatted by the API's view). */
export type OpenLotsFound = ReturnType<typeof header> & {
  readonly bookId: string;
  readonly asOf: number;
  readonly method: LotMethod;
  readonly slices: ReadonlyArray<HeldSlice>;
};

/** The disposals of a range under a method; `from` null when the range is open (values, formatted by the API's view). */
export type DisposalsFound = ReturnType<typeof header> & {
  readonly bookId: string;
  readonly from: number | null;
  readonly to: number;
  readonly method: LotMethod;
  readonly reliefs: ReadonlyArray<Relief>;
};

/** A position found: which book, what was known, the lot method, and the figures (values, formatted by the API's view). */
export type PositionFound = ReturnType<typeof header> & {
  readonly bookId: string;
  readonly method: LotMethod;
  readonly position: Position;
};

/** A page of a figure's explanation found (values, formatted by the API's view). */
export type ExplanationFound = ReturnType<typeof header> & {
  readonly bookId: string;
  readonly asOf: number;
  readonly figure: string;
  readonly page: ExplanationPage;
};

/** Which slice of the log an answer is computed from: known at `knownAt`, i.e. revisions 0..revision. */
const header = (knownAt: number, version: number) => ({ knownAt: formatInstant(knownAt), revision: version - 1 });
