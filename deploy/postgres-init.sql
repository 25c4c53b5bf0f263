-- One database per service: no service reads another's tables.
CREATE DATABASE shop_catalog;
CREATE DATABASE shop_accounts;
CREATE DATABASE shop_inventory;
CREATE DATABASE shop_orders;
CREATE DATABASE shop_payments;
CREATE DATABASE shop_shipping;
CREATE DATABASE shop_promotions;
