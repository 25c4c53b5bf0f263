import type { RequestContext } from '@shop/platform';
import type { AccountService } from './account.service';
import type { AddressService } from './address.service';
import type { PartnerKeyService } from './partner-key.service';
import type { SignInService } from './sign-in.service';
import type { SessionService } from './sessions';

/** What accounts resolvers receive: the platform's request context plus the accounts services. */
export interface AccountsContext extends RequestContext {
  readonly signIn: SignInService;
  readonly sessions: SessionService;
  readonly accounts: AccountService;
  readonly addresses: AddressService;
  readonly partnerKeys: PartnerKeyService;
}
