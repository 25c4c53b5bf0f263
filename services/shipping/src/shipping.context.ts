import type { RequestContext } from '@shop/platform';
import type { RateAdminService } from './rate-admin.service';
import type { ShipmentService } from './shipment.service';

/** What shipping resolvers receive: the platform's request context plus shipping's services. */
export interface ShippingContext extends RequestContext {
  readonly rates: RateAdminService;
  readonly shipments: ShipmentService;
}
