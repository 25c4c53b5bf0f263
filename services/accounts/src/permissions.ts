import { allow, isAuthenticated, isOwnerOrStaff, isStaff, or, rule, type ShieldRules } from '@shop/platform';
import type { AddressView, CustomerView } from './account.model';

/** The account a sign-in or verification link just proved the caller holds (see CustomerView). */
const heldByCaller = rule('Customer:heldByCaller', { cache: 'no_cache' })((customer: CustomerView) => customer.heldByCaller === true);

/**
 * Who may do what in accounts. Signing in is open to everyone (and rate-limited in the service);
 * a Customer and its addresses are visible to their owner and staff only; roles are staff-only.
 * Anything not listed is denied.
 */
export const accountsRules: ShieldRules = {
  Query: { me: allow, customer: isStaff, partnerKeys: isStaff },
  Mutation: {
    register: allow,
    login: allow,
    refreshToken: allow,
    logout: allow,
    requestOtp: allow,
    verifyOtp: allow,
    verifyEmail: allow,
    requestEmailVerification: isAuthenticated,
    addAddress: isAuthenticated,
    updateAddress: isAuthenticated,
    deleteAddress: isAuthenticated,
    exportMyData: isAuthenticated,
    deleteMyAccount: isAuthenticated,
    grantRole: isStaff,
    revokeRole: isStaff,
    createPartnerKey: isStaff,
    revokePartnerKey: isStaff,
  },
  // `or` answers with isOwnerOrStaff's NOT_FOUND when neither holds.
  Customer: or(heldByCaller, isOwnerOrStaff<CustomerView>('Customer', (customer) => customer.id)),
  Address: isOwnerOrStaff<AddressView>('Address', (address) => address.accountId),
  // An AuthPayload is only ever built for the account that just signed in.
  AuthPayload: allow,
  OtpRequest: allow,
  DataExport: isAuthenticated,
  PartnerKey: isStaff,
  CreatedPartnerKey: isStaff,
};
