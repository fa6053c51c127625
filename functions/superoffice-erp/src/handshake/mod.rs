//! SuperOffice Online's handshake: validate the signed token, answer with the signed application token.
