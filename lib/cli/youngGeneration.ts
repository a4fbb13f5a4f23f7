import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Lets V8's young generation grow as it does by default (doubling while much of it survives a
 * collection) up to `capBytes`, then holds it there. Its size can only be capped when the process
 * starts (`--max-semi-space-size`), but V8 reads the growth factor each time it grows the space, so
 * setting the factor to 1 after the first collection that shows the cap reached freezes it. Records in
 * flight keep surviving while the output is slow; kept small the young generation promotes them to the
 * old one at once and collects too often (30% more CPU at 1 MB), left to grow it reaches 16 MB a
 * semi-space (about 35 MB more RSS). If V8 stops naming its young space `new_space`, it is frozen at once.
 */
export function holdYoungGenerationAt(capBytes: number): void {
  const observer = new PerformanceObserver(() => {
    const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
    if (young !== undefined && young.space_size < capBytes) return;
    setFlagsFromString('--semi-space-growth-factor=1');
    observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}
