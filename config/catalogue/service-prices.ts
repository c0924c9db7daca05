/**
 * Dated list prices of the non-server resources the cost estimate counts: load
 * balancers, block volumes, managed control planes and NAT gateways, kept per cloud in
 * its profile (config/clouds/<cloud>.ts). Like the instance-type prices, a dated table,
 * never truth: the estimate prints the date and the source next to every figure.
 * Usage-based parts (traffic, LCUs, NAT data processing) are not priced.
 */
import { CLOUD_PROFILES, CLOUDS, type Cloud, type ServicePrice } from '../clouds';

export type { ServicePrice, ServicePriceUnit } from '../clouds';

export const SERVICE_PRICES_AS_OF = Object.fromEntries(
  CLOUDS.map((c) => [c, CLOUD_PROFILES[c].catalogue.servicePricesAsOf]),
) as Record<Cloud, string>;

export const SERVICE_PRICE_SOURCES = Object.fromEntries(
  CLOUDS.map((c) => [c, CLOUD_PROFILES[c].catalogue.servicePriceSource]),
) as Record<Cloud, string>;

export function servicePrice(cloud: Cloud, key: string): ServicePrice | undefined {
  return CLOUD_PROFILES[cloud].catalogue.servicePrices.find((p) => p.key === key);
}
