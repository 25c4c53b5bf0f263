-- Payments: a refund moves a paid order to PARTIALLY_REFUNDED or REFUNDED (issue 7).
ALTER TYPE "OrderStatus" ADD VALUE 'PARTIALLY_REFUNDED';
ALTER TYPE "OrderStatus" ADD VALUE 'REFUNDED';
