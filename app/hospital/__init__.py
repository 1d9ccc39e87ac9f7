"""Hospital health-insurance (BHYT) check-in: the insurance lookup adapter and queue numbers.
Plain Python, no Qt."""

from app.hospital.insurance import (InsuranceGateway, InsuranceGatewayError,
                                    InsuranceLookupResult, InsuranceTimeoutError,
                                    SimulatedInsuranceGateway, gateway_from_config)
from app.hospital.queue import QueueNumbers, QueueTicket, queue_from_config

__all__ = ["InsuranceGateway", "InsuranceGatewayError", "InsuranceLookupResult",
           "InsuranceTimeoutError", "SimulatedInsuranceGateway", "gateway_from_config",
           "QueueNumbers", "QueueTicket", "queue_from_config"]
