export * from './sqlite-event-store';
export { createPrivateFile } from './open-database';
