import { CommonErrors, type Identity } from '@shop/platform';
import type { AccountsContext } from '../accounts.context';
import type { AddressView, CustomerView } from '../account.model';
import type { Role } from '../generated/prisma/client';
import type { AuthPayload } from '../sessions';

/** The signed-in caller's id (shield already refused guests; this keeps the service honest). */
function callerId(identity: Identity): string {
  if (!identity.userId) throw CommonErrors.create('UNAUTHENTICATED');
  return identity.userId;
}

type Ctx = AccountsContext;

export const mutationResolvers = {
  register: (_: unknown, args: { input: unknown }, ctx: Ctx): Promise<AuthPayload> => ctx.signIn.register(args.input, ctx.clientAddress),
  login: (_: unknown, args: { email: string; password: string }, ctx: Ctx): Promise<AuthPayload> =>
    ctx.signIn.login(args.email, args.password, ctx.clientAddress),
  refreshToken: (_: unknown, args: { refreshToken: string }, ctx: Ctx): Promise<AuthPayload> => ctx.sessions.refresh(args.refreshToken),
  logout: async (_: unknown, args: { refreshToken: string }, ctx: Ctx): Promise<boolean> => {
    await ctx.sessions.end(args.refreshToken);
    return true;
  },
  requestOtp: async (_: unknown, args: { phone: string }, ctx: Ctx) => {
    const { retryAfterSeconds } = await ctx.signIn.requestOtp(args.phone, ctx.clientAddress);
    return { sent: true, retryAfterSeconds };
  },
  verifyOtp: (_: unknown, args: { phone: string; code: string }, ctx: Ctx): Promise<AuthPayload> => ctx.signIn.verifyOtp(args.phone, args.code),
  requestEmailVerification: async (_: unknown, _args: unknown, ctx: Ctx): Promise<boolean> => {
    await ctx.signIn.requestEmailVerification(callerId(ctx.identity));
    return true;
  },
  verifyEmail: (_: unknown, args: { token: string }, ctx: Ctx): Promise<CustomerView> => ctx.accounts.verifyEmail(args.token),
  addAddress: (_: unknown, args: { input: unknown }, ctx: Ctx): Promise<AddressView> => ctx.addresses.add(callerId(ctx.identity), args.input),
  updateAddress: (_: unknown, args: { id: string; input: unknown }, ctx: Ctx): Promise<AddressView> =>
    ctx.addresses.update(callerId(ctx.identity), args.id, args.input),
  deleteAddress: async (_: unknown, args: { id: string }, ctx: Ctx): Promise<boolean> => {
    await ctx.addresses.remove(callerId(ctx.identity), args.id);
    return true;
  },
  grantRole: (_: unknown, args: { customerId: string; role: Role }, ctx: Ctx): Promise<CustomerView> =>
    ctx.accounts.changeRole(ctx.identity, args.customerId, args.role, 'grant'),
  revokeRole: (_: unknown, args: { customerId: string; role: Role }, ctx: Ctx): Promise<CustomerView> =>
    ctx.accounts.changeRole(ctx.identity, args.customerId, args.role, 'revoke'),
  exportMyData: (_: unknown, _args: unknown, ctx: Ctx) => ctx.accounts.exportData(ctx.identity),
  deleteMyAccount: async (_: unknown, args: { password?: string | null }, ctx: Ctx): Promise<boolean> => {
    await ctx.accounts.deleteAccount(ctx.identity, args.password ?? null);
    return true;
  },
};
