//! SuperOffice's string encodings of field values (`[I:…]`, `[F:…]`, `[DT:…]`).
