"""The APDU-level virtual CCCD (see card.py). Public API:

    VirtualCard(profile, faults=None)  .atr .power_on() .power_off() .process(apdu) -> response
    load_profile(path) -> CardProfile;  CardProfile.from_json(dict)
    FaultPlan(...);  test_pki().write_trust_store(folder) / write_test_trust_store(folder)
    test_online_verifier()  -> a SimulatedOnlineVerifier that vouches for the test signer
"""

from drivers.card.virtual.card import VirtualCard
from drivers.card.virtual.faults import FaultPlan
from drivers.card.virtual.pki import test_online_verifier, test_pki, write_test_trust_store
from drivers.card.virtual.profile import CardProfile, CardSettings, load_profile, profiles_dir

__all__ = ["VirtualCard", "FaultPlan", "CardProfile", "CardSettings", "load_profile",
           "profiles_dir", "test_pki", "write_test_trust_store", "test_online_verifier"]
