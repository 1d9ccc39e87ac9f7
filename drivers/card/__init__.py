"""The chip ID card: readers and the ICAO 9303 protocol stack, one module per concern.

Transport: interface (the contract), pcsc / pcsc_connection / pcsc_transceive (PC/SC),
simulated_reader, vpcd_bridge, apdu_trace.
Protocol: apdu, tlv, crypto, ec, sm (secure messaging), bac, pace, security_infos, files
(SELECT / READ BINARY strategy), lds/ (the data groups), pubkeys, passive_auth, chip_auth,
active_auth, online, facts, access_keys, errors.
Pipeline: reading.read_document — the contract the app uses.
Virtual card: virtual/ (APDU-level CCCD emulator with fault injection).
"""
