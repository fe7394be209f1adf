package dev.supaqueue.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespaceGroupingTest {

    private static Map<String, String> assign(Set<String> known, boolean infer, String... names) {
        return new NamespaceGrouping(known, infer).assign(List.of(names));
    }

    @Test
    void theLongestKnownNamespaceThatPrefixesTheNameWins() {
        Map<String, String> result = assign(Set.of("app", "app_billing"), false,
                "app_billing_invoices", "app_emails", "app_billing", "other");

        assertThat(result).containsEntry("app_billing_invoices", "app_billing")
                .containsEntry("app_emails", "app")
                .containsEntry("app_billing", "app")
                .containsEntry("other", "");
    }

    @Test
    void aKnownNamespaceNeedsARestAfterTheSeparator() {
        Map<String, String> result = assign(Set.of("app"), false, "app", "app_", "apple_pie", "app_x");

        assertThat(result).containsEntry("app", "").containsEntry("app_", "").containsEntry("apple_pie", "")
                .containsEntry("app_x", "app");
    }

    @Test
    void queuesSharingAFirstWordFormAnInferredNamespace() {
        Map<String, String> result = assign(Set.of(), true, "app_emails", "app_reports", "solo_one", "plain");

        assertThat(result).containsEntry("app_emails", "app").containsEntry("app_reports", "app")
                .containsEntry("solo_one", "").containsEntry("plain", "");
    }

    @Test
    void deadLetterQueuesDoNotMakeANamespaceButJoinOne() {
        Map<String, String> alone = assign(Set.of(), true, "mail_out", "mail_out_xq");
        assertThat(alone).containsEntry("mail_out", "").containsEntry("mail_out_xq", "");

        Map<String, String> shared = assign(Set.of(), true, "mail_out", "mail_in", "mail_out_xq");
        assertThat(shared).containsEntry("mail_out", "mail").containsEntry("mail_in", "mail")
                .containsEntry("mail_out_xq", "mail");
    }

    @Test
    void withoutInferenceOnlyKnownNamespacesGroup() {
        Map<String, String> result = assign(Set.of(), false, "app_emails", "app_reports");

        assertThat(result).containsEntry("app_emails", "").containsEntry("app_reports", "");
    }

    @Test
    void queuesClaimedByAKnownNamespaceDoNotCountTowardsAnInferredOne() {
        Map<String, String> result = assign(Set.of("app_billing"), true,
                "app_billing_a", "app_billing_b", "app_emails");

        assertThat(result).containsEntry("app_billing_a", "app_billing").containsEntry("app_billing_b", "app_billing")
                .containsEntry("app_emails", "");
    }

    @Test
    void foreignNamesAreGroupedWithoutFailing() {
        Map<String, String> result = assign(Set.of("app"), true,
                "My-App_One", "My-App_Two", "_hidden", "_other", "x_", "dotted.name_1", "with space_2", "Ünï_a");

        assertThat(result).containsEntry("My-App_One", "My-App").containsEntry("My-App_Two", "My-App")
                .containsEntry("_hidden", "").containsEntry("_other", "").containsEntry("x_", "")
                .containsEntry("dotted.name_1", "").containsEntry("with space_2", "").containsEntry("Ünï_a", "");
    }

    @Test
    void duplicatesCountOnceForInference() {
        assertThat(assign(Set.of(), true, "app_a", "app_a")).containsEntry("app_a", "");
    }

    @Test
    void theOptionsProvideKnownNamespacesAndInference() {
        NamespaceGrouping grouping = new NamespaceGrouping(
                AdminOptions.builder().namespaces("billing").inferNamespaces(false).build());

        assertThat(grouping.assign(List.of("billing_x", "app_a", "app_b")))
                .containsEntry("billing_x", "billing").containsEntry("app_a", "").containsEntry("app_b", "");
    }

    @Test
    void theShortNameDropsTheNamespaceAndItsSeparator() {
        assertThat(NamespaceGrouping.shortName("app_emails", "app")).isEqualTo("emails");
        assertThat(NamespaceGrouping.shortName("app_billing_x", "app_billing")).isEqualTo("x");
        assertThat(NamespaceGrouping.shortName("plain", "")).isEqualTo("plain");
        assertThatThrownBy(() -> NamespaceGrouping.shortName("other_x", "app"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other_x");
    }
}
