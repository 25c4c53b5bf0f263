-- One database per service: no service reads another's tables.
CREATE DATABASE shop_catalog;
CREATE DATABASE shop_accounts;
