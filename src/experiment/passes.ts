// The measurement passes after the forward pass, in the order they run: registered once here.
import { BACKWARD_PASS } from './backwardPass.js';
import type { MeasurementPass } from './measurementPass.js';
import { TANGENT_PASS } from './tangentPass.js';

export const MEASUREMENT_PASSES: readonly MeasurementPass[] = [BACKWARD_PASS, TANGENT_PASS];
