export * from './ports/clock';
export * from './ports/id-generator';
export * from './commands/book-stream';
export * from './commands/command.errors';
export * from './commands/keyed-mutex';
export * from './commands/request-hash';
export * from './commands/book-command.service';
export * from './queries/book-events.query';
