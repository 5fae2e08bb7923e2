// Reading one lane of an 8-column group held in two f32x4 registers.

/** Lane c (0…7) of the 8 columns held in lo (0…3) and hi (4…7). */
@inline export function laneOf(lo: v128, hi: v128, c: i32): f32 {
  switch (c) {
    case 0: return f32x4.extract_lane(lo, 0);
    case 1: return f32x4.extract_lane(lo, 1);
    case 2: return f32x4.extract_lane(lo, 2);
    case 3: return f32x4.extract_lane(lo, 3);
    case 4: return f32x4.extract_lane(hi, 0);
    case 5: return f32x4.extract_lane(hi, 1);
    case 6: return f32x4.extract_lane(hi, 2);
    default: return f32x4.extract_lane(hi, 3);
  }
}
