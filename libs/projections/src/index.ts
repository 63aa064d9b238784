export * from './bitemporal/bitemporal-sums';
export * from './book/fifo';
export * from './book/raw-position';
export * from './book/position';
export * from './book/book-projection';
export * from './series/series-steps';
export * from './series/series-point';
export * from './listings/fifo-listings';
