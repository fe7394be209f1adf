package dev.supaqueue.actor;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** Data types that actor arguments are bound to in these tests. */
final class TestTypes {

    private TestTypes() {
    }

    enum Color { RED, GREEN }

    record Order(String sku, int quantity, BigDecimal price) {
        Order {
            if (quantity < 0) {
                throw new IllegalArgumentException("quantity must not be negative");
            }
        }
    }

    record Customer(String name, Address address, List<Order> orders, Color favourite) {
    }

    /** A JavaBean rather than a record. */
    static final class Address {
        private String city;
        private String zip;

        public Address() {
        }

        Address(String city, String zip) {
            this.city = city;
            this.zip = zip;
        }

        public String getCity() {
            return city;
        }

        public void setCity(String city) {
            this.city = city;
        }

        public String getZip() {
            return zip;
        }

        public void setZip(String zip) {
            this.zip = zip;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Address a && Objects.equals(city, a.city) && Objects.equals(zip, a.zip);
        }

        @Override
        public int hashCode() {
            return Objects.hash(city, zip);
        }
    }

    /** A bean with a double, to check NaN inside an object. */
    record Measurement(String name, double value) {
    }
}
