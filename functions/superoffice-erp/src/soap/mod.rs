//! SOAP 1.1 wire: envelopes in, envelopes out, the WSDL.
