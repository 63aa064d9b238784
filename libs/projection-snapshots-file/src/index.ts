export * from './file-projection-snapshots';
