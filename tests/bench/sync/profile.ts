import type { BenchOptions } from './options.js';

export async function profileWorkshop(_options: BenchOptions): Promise<void> {}
