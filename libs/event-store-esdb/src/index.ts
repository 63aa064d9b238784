export * from './esdb-event-store';
export type { EsdbCalls } from './esdb-calls';
