import { sweptValue, type SweepPoint } from '../metrics/sweepRecord.js';

/** Where a sweep's point sits along one axis in its figures: gain as σw², bias-std as σb² (Poole et al.'s axes), the rest as given. */
export interface SweepCoordinate {
  option: string;
  label: string;
  of(point: SweepPoint): number;
  log: boolean;
}

export function sweepAxisCoordinate(option: string): SweepCoordinate {
  const theory = (p: SweepPoint) => p.theory;
  if (option === 'gain') return { option, label: 'σw² (weight variance × fan-in)', of: (p) => theory(p).sigma_w2, log: false };
  if (option === 'bias_std') return { option, label: 'σb² (bias variance)', of: (p) => theory(p).sigma_b2, log: false };
  return { option, label: option.replace(/_/g, '-'), of: (p) => sweptValue(p, option), log: option === 'width' || option === 'batch' };
}
