//! The parameters of each Stripe operation the emulator implements: copied from Stripe's schema
//! (`../shared/stripe-openapi/stripe-connect-subset.json`, or stripe-python's generated parameter
//! types where the subset lacks the operation), narrowed to what the emulator implements. Names
//! Stripe takes that the emulator does not are `todo(…)`. `tests/spec_params.rs` fails on any
//! difference from Stripe's schema, so this table cannot drift from it.

use super::{opt, req, todo, Kind, Operation, Param, Source};

/// What `include` may ask a v2 account to show.
const V2_ACCOUNT_INCLUDES: &[&str] = &[
    "configuration.customer",
    "configuration.merchant",
    "configuration.recipient",
    "defaults",
    "future_requirements",
    "identity",
    "requirements",
];

const SERVICE_AGREEMENT: &str = "Stripe's schema has a free string; Stripe documents the values \
     `full` and `recipient` (docs.stripe.com/connect/service-agreement-types), which the emulator checks";

const BUSINESS_PROFILE: &[Param] = &[
    opt(
        "annual_revenue",
        Kind::Hash(&[
            req("amount", Kind::Integer),
            req("currency", Kind::Text),
            req("fiscal_year_end", Kind::Text),
        ]),
    ),
    opt("estimated_worker_count", Kind::Integer),
    opt("mcc", Kind::Text),
    opt("minority_owned_business_designation", Kind::Texts),
    opt(
        "monthly_estimated_revenue",
        Kind::Hash(&[req("amount", Kind::Integer), req("currency", Kind::Text)]),
    ),
    opt("name", Kind::Text),
    opt("product_description", Kind::Text),
    todo("specified_commercial_transactions_act_url"),
    opt(
        "support_address",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
        ]),
    ),
    opt("support_email", Kind::Text),
    opt("support_phone", Kind::Text),
    opt("support_url", Kind::Text),
    opt("url", Kind::Text),
];

const ACCOUNT_CAPABILITIES: &[Param] = &[
    opt(
        "acss_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "affirm_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "afterpay_clearpay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "alma_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "amazon_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("app_distribution"),
    opt(
        "au_becs_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "bacs_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "bancontact_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "billie_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("bizum_payments"),
    opt(
        "blik_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("blik_recurring_payments"),
    opt(
        "boleto_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "card_issuing",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "card_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "cartes_bancaires_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "cashapp_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "crypto_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "eps_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "fpx_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "gb_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "giropay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "grabpay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "ideal_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "india_international_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "jcb_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "jp_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "kakao_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "klarna_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "konbini_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "kr_card_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "legacy_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "link_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "mb_way_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "mobilepay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "multibanco_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "mx_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "naver_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "nz_bank_account_becs_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "oxxo_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "p24_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "pay_by_bank_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "payco_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "paynow_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "paypay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "payto_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "pix_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "promptpay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "revolut_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "samsung_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "satispay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("scalapay_payments"),
    opt(
        "sepa_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "sepa_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("sequra_payments"),
    opt(
        "sofort_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("sunbit_payments"),
    opt(
        "swish_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "tax_reporting_us_1099_k",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "tax_reporting_us_1099_misc",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt("transfers", Kind::Hash(&[opt("requested", Kind::Boolean)])),
    opt("treasury", Kind::Hash(&[opt("requested", Kind::Boolean)])),
    opt(
        "twint_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("upi_payments"),
    opt(
        "us_bank_account_ach_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "us_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "zip_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
];

const COMPANY: &[Param] = &[
    opt(
        "address",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
        ]),
    ),
    opt(
        "address_kana",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
            opt("town", Kind::Text),
        ]),
    ),
    opt(
        "address_kanji",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
            opt("town", Kind::Text),
        ]),
    ),
    todo("administrative_address"),
    opt("directors_provided", Kind::Boolean),
    todo("directorship_declaration"),
    opt("executives_provided", Kind::Boolean),
    opt("export_license_id", Kind::Text),
    opt("export_purpose_code", Kind::Text),
    opt("name", Kind::Text),
    opt("name_kana", Kind::Text),
    opt("name_kanji", Kind::Text),
    opt("owners_provided", Kind::Boolean),
    opt(
        "ownership_declaration",
        Kind::Hash(&[
            opt("date", Kind::Integer),
            opt("ip", Kind::Text),
            opt("user_agent", Kind::Text),
        ]),
    ),
    todo("ownership_exemption_reason"),
    opt("phone", Kind::Text),
    todo("principal_place_of_business"),
    todo("registration_date"),
    opt("registration_number", Kind::Text),
    todo("representative_declaration"),
    opt(
        "structure",
        Kind::OneOf(&[
            "",
            "free_zone_establishment",
            "free_zone_llc",
            "government_instrumentality",
            "governmental_unit",
            "incorporated_non_profit",
            "incorporated_partnership",
            "limited_liability_partnership",
            "llc",
            "multi_member_llc",
            "private_company",
            "private_corporation",
            "private_partnership",
            "public_company",
            "public_corporation",
            "public_partnership",
            "registered_charity",
            "single_member_llc",
            "sole_establishment",
            "sole_proprietorship",
            "tax_exempt_government_instrumentality",
            "unincorporated_association",
            "unincorporated_non_profit",
            "unincorporated_partnership",
        ]),
    ),
    opt("tax_id", Kind::Text),
    opt("tax_id_registrar", Kind::Text),
    opt("vat_id", Kind::Text),
    opt(
        "verification",
        Kind::Hash(&[opt(
            "document",
            Kind::Hash(&[opt("back", Kind::Text), opt("front", Kind::Text)]),
        )]),
    ),
];

const DOCUMENTS: &[Param] = &[
    opt(
        "bank_account_ownership_verification",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt("company_license", Kind::Hash(&[opt("files", Kind::Texts)])),
    opt(
        "company_memorandum_of_association",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt(
        "company_ministerial_decree",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt(
        "company_registration_verification",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt(
        "company_tax_id_verification",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt("proof_of_address", Kind::Hash(&[opt("files", Kind::Texts)])),
    opt(
        "proof_of_ultimate_beneficial_ownership",
        Kind::Hash(&[
            opt("files", Kind::Texts),
            opt("signer", Kind::Hash(&[opt("person", Kind::Text)])),
        ]),
    ),
];

const INDIVIDUAL: &[Param] = &[
    opt(
        "address",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
        ]),
    ),
    opt(
        "address_kana",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
            opt("town", Kind::Text),
        ]),
    ),
    opt(
        "address_kanji",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
            opt("town", Kind::Text),
        ]),
    ),
    opt(
        "dob",
        Kind::Hash(&[
            req("day", Kind::Integer),
            req("month", Kind::Integer),
            req("year", Kind::Integer),
        ]),
    ),
    opt("email", Kind::Text),
    opt("first_name", Kind::Text),
    opt("first_name_kana", Kind::Text),
    opt("first_name_kanji", Kind::Text),
    opt("full_name_aliases", Kind::Texts),
    opt("gender", Kind::Text),
    opt("id_number", Kind::Text),
    opt("id_number_secondary", Kind::Text),
    opt("last_name", Kind::Text),
    opt("last_name_kana", Kind::Text),
    opt("last_name_kanji", Kind::Text),
    opt("maiden_name", Kind::Text),
    opt("metadata", Kind::Metadata),
    opt("phone", Kind::Text),
    opt("political_exposure", Kind::OneOf(&["existing", "none"])),
    opt(
        "registered_address",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
        ]),
    ),
    opt(
        "relationship",
        Kind::Hash(&[
            opt("director", Kind::Boolean),
            opt("executive", Kind::Boolean),
            opt("owner", Kind::Boolean),
            opt("percent_ownership", Kind::Decimal),
            opt("title", Kind::Text),
        ]),
    ),
    opt("ssn_last_4", Kind::Text),
    opt(
        "verification",
        Kind::Hash(&[
            opt(
                "additional_document",
                Kind::Hash(&[opt("back", Kind::Text), opt("front", Kind::Text)]),
            ),
            opt(
                "document",
                Kind::Hash(&[opt("back", Kind::Text), opt("front", Kind::Text)]),
            ),
        ]),
    ),
];

const SETTINGS_PAYOUTS: &[Param] = &[
    opt("debit_negative_balances", Kind::Boolean),
    opt(
        "schedule",
        Kind::Hash(&[
            opt("delay_days", Kind::Text),
            opt(
                "interval",
                Kind::OneOf(&["manual", "daily", "weekly", "monthly"]),
            ),
            opt("monthly_anchor", Kind::Integer),
            opt("monthly_payout_days", Kind::Texts),
            opt(
                "weekly_anchor",
                Kind::OneOf(&[
                    "monday",
                    "tuesday",
                    "wednesday",
                    "thursday",
                    "friday",
                    "saturday",
                    "sunday",
                ]),
            ),
            opt("weekly_payout_days", Kind::Texts),
        ]),
    ),
    opt("statement_descriptor", Kind::Text),
];

const SETTINGS: &[Param] = &[
    opt(
        "bacs_debit_payments",
        Kind::Hash(&[opt("display_name", Kind::Text)]),
    ),
    opt(
        "branding",
        Kind::Hash(&[
            opt("icon", Kind::Text),
            opt("logo", Kind::Text),
            opt("primary_color", Kind::Text),
            opt("secondary_color", Kind::Text),
        ]),
    ),
    opt(
        "card_issuing",
        Kind::Hash(&[opt(
            "tos_acceptance",
            Kind::Hash(&[
                opt("date", Kind::Integer),
                opt("ip", Kind::Text),
                opt("user_agent", Kind::Text),
            ]),
        )]),
    ),
    opt(
        "card_payments",
        Kind::Hash(&[
            opt(
                "decline_on",
                Kind::Hash(&[
                    opt("avs_failure", Kind::Boolean),
                    opt("cvc_failure", Kind::Boolean),
                ]),
            ),
            opt("statement_descriptor_prefix", Kind::Text),
            opt("statement_descriptor_prefix_kana", Kind::Text),
            opt("statement_descriptor_prefix_kanji", Kind::Text),
        ]),
    ),
    opt(
        "invoices",
        Kind::Hash(&[opt("hosted_payment_method_save", Kind::Text)]),
    ),
    opt(
        "payments",
        Kind::Hash(&[
            opt("statement_descriptor", Kind::Text),
            opt("statement_descriptor_kana", Kind::Text),
            opt("statement_descriptor_kanji", Kind::Text),
        ]),
    ),
    opt("payouts", Kind::Hash(SETTINGS_PAYOUTS)),
    todo("paypay_payments"),
    todo("sepa_debit_payments"),
    opt(
        "treasury",
        Kind::Hash(&[opt(
            "tos_acceptance",
            Kind::Hash(&[
                opt("date", Kind::Integer),
                opt("ip", Kind::Text),
                opt("user_agent", Kind::Text),
            ]),
        )]),
    ),
];

const POST_ACCOUNT_DOCUMENTS: &[Param] = &[
    opt(
        "bank_account_ownership_verification",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt("company_license", Kind::Hash(&[opt("files", Kind::Texts)])),
    opt(
        "company_memorandum_of_association",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt(
        "company_ministerial_decree",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt(
        "company_registration_verification",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt(
        "company_tax_id_verification",
        Kind::Hash(&[opt("files", Kind::Texts)]),
    ),
    opt("proof_of_address", Kind::Hash(&[opt("files", Kind::Texts)])),
    opt(
        "proof_of_registration",
        Kind::Hash(&[
            opt("files", Kind::Texts),
            opt("signer", Kind::Hash(&[opt("person", Kind::Text)])),
        ]),
    ),
    opt(
        "proof_of_ultimate_beneficial_ownership",
        Kind::Hash(&[
            opt("files", Kind::Texts),
            opt("signer", Kind::Hash(&[opt("person", Kind::Text)])),
        ]),
    ),
];

const POST_ACCOUNT_SETTINGS: &[Param] = &[
    opt(
        "bacs_debit_payments",
        Kind::Hash(&[opt("display_name", Kind::Text)]),
    ),
    opt(
        "branding",
        Kind::Hash(&[
            opt("icon", Kind::Text),
            opt("logo", Kind::Text),
            opt("primary_color", Kind::Text),
            opt("secondary_color", Kind::Text),
        ]),
    ),
    opt(
        "card_issuing",
        Kind::Hash(&[opt(
            "tos_acceptance",
            Kind::Hash(&[
                opt("date", Kind::Integer),
                opt("ip", Kind::Text),
                opt("user_agent", Kind::Text),
            ]),
        )]),
    ),
    opt(
        "card_payments",
        Kind::Hash(&[
            opt(
                "decline_on",
                Kind::Hash(&[
                    opt("avs_failure", Kind::Boolean),
                    opt("cvc_failure", Kind::Boolean),
                ]),
            ),
            opt("statement_descriptor_prefix", Kind::Text),
            opt("statement_descriptor_prefix_kana", Kind::Text),
            opt("statement_descriptor_prefix_kanji", Kind::Text),
        ]),
    ),
    opt(
        "invoices",
        Kind::Hash(&[
            todo("default_account_tax_ids"),
            opt("hosted_payment_method_save", Kind::Text),
        ]),
    ),
    opt(
        "payments",
        Kind::Hash(&[
            opt("statement_descriptor", Kind::Text),
            opt("statement_descriptor_kana", Kind::Text),
            opt("statement_descriptor_kanji", Kind::Text),
        ]),
    ),
    opt("payouts", Kind::Hash(SETTINGS_PAYOUTS)),
    todo("paypay_payments"),
    todo("sepa_debit_payments"),
    opt(
        "treasury",
        Kind::Hash(&[opt(
            "tos_acceptance",
            Kind::Hash(&[
                opt("date", Kind::Integer),
                opt("ip", Kind::Text),
                opt("user_agent", Kind::Text),
            ]),
        )]),
    ),
];

const SESSION_COMPONENTS: &[Param] = &[
    opt(
        "account_management",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("disable_stripe_user_authentication", Kind::Boolean),
                    opt("external_account_collection", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "account_onboarding",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("disable_stripe_user_authentication", Kind::Boolean),
                    opt("external_account_collection", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "balance_report",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt("features", Kind::Hash(&[])),
        ]),
    ),
    opt(
        "balances",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("disable_stripe_user_authentication", Kind::Boolean),
                    opt("edit_payout_schedule", Kind::Boolean),
                    opt("external_account_collection", Kind::Boolean),
                    opt("instant_payouts", Kind::Boolean),
                    opt("standard_payouts", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "disputes_list",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("capture_payments", Kind::Boolean),
                    opt("destination_on_behalf_of_charge_management", Kind::Boolean),
                    opt("dispute_management", Kind::Boolean),
                    opt("refund_management", Kind::Boolean),
                    opt("smart_disputes_management", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "documents",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt("features", Kind::Hash(&[])),
        ]),
    ),
    opt(
        "financial_account",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("disable_stripe_user_authentication", Kind::Boolean),
                    opt("external_account_collection", Kind::Boolean),
                    opt("send_money", Kind::Boolean),
                    opt("transfer_balance", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "financial_account_transactions",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[opt("card_spend_dispute_management", Kind::Boolean)]),
            ),
        ]),
    ),
    opt(
        "instant_payouts_promotion",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("disable_stripe_user_authentication", Kind::Boolean),
                    opt("external_account_collection", Kind::Boolean),
                    opt("instant_payouts", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "issuing_card",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("card_management", Kind::Boolean),
                    opt("card_spend_dispute_management", Kind::Boolean),
                    opt("cardholder_management", Kind::Boolean),
                    opt("spend_control_management", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "issuing_cards_list",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("card_management", Kind::Boolean),
                    opt("card_spend_dispute_management", Kind::Boolean),
                    opt("cardholder_management", Kind::Boolean),
                    opt("disable_stripe_user_authentication", Kind::Boolean),
                    opt("spend_control_management", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "notification_banner",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("disable_stripe_user_authentication", Kind::Boolean),
                    opt("external_account_collection", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "payment_details",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("capture_payments", Kind::Boolean),
                    opt("destination_on_behalf_of_charge_management", Kind::Boolean),
                    opt("dispute_management", Kind::Boolean),
                    opt("refund_management", Kind::Boolean),
                    opt("smart_disputes_management", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "payment_disputes",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("destination_on_behalf_of_charge_management", Kind::Boolean),
                    opt("dispute_management", Kind::Boolean),
                    opt("refund_management", Kind::Boolean),
                    opt("smart_disputes_management", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "payment_method_settings",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[opt("disable_stripe_user_authentication", Kind::Boolean)]),
            ),
        ]),
    ),
    opt(
        "payments",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("capture_payments", Kind::Boolean),
                    opt("destination_on_behalf_of_charge_management", Kind::Boolean),
                    opt("dispute_management", Kind::Boolean),
                    opt("refund_management", Kind::Boolean),
                    opt("smart_disputes_management", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "payout_details",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt("features", Kind::Hash(&[])),
        ]),
    ),
    opt(
        "payout_reconciliation_report",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt("features", Kind::Hash(&[])),
        ]),
    ),
    opt(
        "payouts",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt(
                "features",
                Kind::Hash(&[
                    opt("disable_stripe_user_authentication", Kind::Boolean),
                    opt("edit_payout_schedule", Kind::Boolean),
                    opt("external_account_collection", Kind::Boolean),
                    opt("instant_payouts", Kind::Boolean),
                    opt("standard_payouts", Kind::Boolean),
                ]),
            ),
        ]),
    ),
    opt(
        "payouts_list",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt("features", Kind::Hash(&[])),
        ]),
    ),
    opt(
        "tax_registrations",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt("features", Kind::Hash(&[])),
        ]),
    ),
    opt(
        "tax_settings",
        Kind::Hash(&[
            req("enabled", Kind::Boolean),
            opt("features", Kind::Hash(&[])),
        ]),
    ),
];

const MERCHANT_CAPABILITIES: &[Param] = &[
    opt(
        "ach_debit_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "acss_debit_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "affirm_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "afterpay_clearpay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "alma_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "amazon_pay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "au_becs_debit_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "bacs_debit_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "bancontact_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "blik_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    todo("blik_recurring_payments"),
    opt(
        "boleto_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "card_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "cartes_bancaires_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "cashapp_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "eps_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "fpx_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "gb_bank_transfer_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "grabpay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "ideal_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "jcb_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "jp_bank_transfer_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "kakao_pay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "klarna_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "konbini_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "kr_card_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "link_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "mobilepay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "multibanco_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "mx_bank_transfer_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "naver_pay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "oxxo_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "p24_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "pay_by_bank_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "payco_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "paynow_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "promptpay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "revolut_pay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "samsung_pay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "satispay_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "sepa_bank_transfer_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "sepa_debit_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    todo("sequra_payments"),
    todo("sunbit_payments"),
    opt(
        "swish_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "twint_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "us_bank_transfer_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
    opt(
        "zip_payments",
        Kind::Hash(&[req("requested", Kind::Boolean)]),
    ),
];

const CONFIGURATION_MERCHANT: &[Param] = &[
    todo("bacs_debit_payments"),
    opt(
        "branding",
        Kind::Hash(&[
            opt("icon", Kind::Text),
            opt("logo", Kind::Text),
            opt("primary_color", Kind::Text),
            opt("secondary_color", Kind::Text),
        ]),
    ),
    opt("capabilities", Kind::Hash(MERCHANT_CAPABILITIES)),
    opt(
        "card_payments",
        Kind::Hash(&[opt(
            "decline_on",
            Kind::Hash(&[
                opt("avs_failure", Kind::Boolean),
                opt("cvc_failure", Kind::Boolean),
            ]),
        )]),
    ),
    todo("konbini_payments"),
    opt("mcc", Kind::Text),
    todo("script_statement_descriptor"),
    todo("sepa_debit_payments"),
    opt(
        "statement_descriptor",
        Kind::Hash(&[opt("descriptor", Kind::Text), opt("prefix", Kind::Text)]),
    ),
    opt(
        "support",
        Kind::Hash(&[
            opt(
                "address",
                Kind::Hash(&[
                    opt("city", Kind::Text),
                    req("country", Kind::Text),
                    opt("line1", Kind::Text),
                    opt("line2", Kind::Text),
                    opt("postal_code", Kind::Text),
                    opt("state", Kind::Text),
                    opt("town", Kind::Text),
                ]),
            ),
            opt("email", Kind::Text),
            opt("phone", Kind::Text),
            opt("url", Kind::Text),
        ]),
    ),
];

const CONFIGURATION: &[Param] = &[
    opt(
        "customer",
        Kind::Hash(&[
            todo("automatic_indirect_tax"),
            todo("billing"),
            opt(
                "capabilities",
                Kind::Hash(&[opt(
                    "automatic_indirect_tax",
                    Kind::Hash(&[req("requested", Kind::Boolean)]),
                )]),
            ),
            todo("shipping"),
            todo("test_clock"),
        ]),
    ),
    opt("merchant", Kind::Hash(CONFIGURATION_MERCHANT)),
    opt(
        "recipient",
        Kind::Hash(&[opt(
            "capabilities",
            Kind::Hash(&[opt(
                "stripe_balance",
                Kind::Hash(&[opt(
                    "stripe_transfers",
                    Kind::Hash(&[req("requested", Kind::Boolean)]),
                )]),
            )]),
        )]),
    ),
];

const DEFAULTS: &[Param] = &[
    opt("currency", Kind::Text),
    opt("locales", Kind::Texts),
    opt(
        "profile",
        Kind::Hash(&[
            opt("business_url", Kind::Text),
            opt("doing_business_as", Kind::Text),
            opt("product_description", Kind::Text),
        ]),
    ),
    opt(
        "responsibilities",
        Kind::Hash(&[
            req(
                "fees_collector",
                Kind::OneOf(&[
                    "application",
                    "application_custom",
                    "application_express",
                    "stripe",
                ]),
            ),
            req("losses_collector", Kind::OneOf(&["application", "stripe"])),
        ]),
    ),
];

const IDENTITY_BUSINESS_DETAILS: &[Param] = &[
    todo("additional_addresses"),
    opt(
        "address",
        Kind::Hash(&[
            opt("city", Kind::Text),
            req("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
            opt("town", Kind::Text),
        ]),
    ),
    todo("annual_revenue"),
    todo("documents"),
    todo("estimated_worker_count"),
    opt(
        "id_numbers",
        Kind::Hashes(&[
            opt("registrar", Kind::Text),
            req("type", Kind::Text),
            req("value", Kind::Text),
        ]),
    ),
    todo("monthly_estimated_revenue"),
    opt("phone", Kind::Text),
    opt("registered_name", Kind::Text),
    todo("registration_date"),
    todo("script_addresses"),
    todo("script_names"),
    opt("structure", Kind::Text),
];

const IDENTITY_INDIVIDUAL: &[Param] = &[
    todo("additional_addresses"),
    todo("additional_names"),
    opt(
        "address",
        Kind::Hash(&[
            opt("city", Kind::Text),
            req("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
            opt("town", Kind::Text),
        ]),
    ),
    opt(
        "date_of_birth",
        Kind::Hash(&[
            req("day", Kind::Integer),
            req("month", Kind::Integer),
            req("year", Kind::Integer),
        ]),
    ),
    todo("documents"),
    opt("email", Kind::Text),
    opt("given_name", Kind::Text),
    opt(
        "id_numbers",
        Kind::Hashes(&[req("type", Kind::Text), req("value", Kind::Text)]),
    ),
    todo("legal_gender"),
    opt("metadata", Kind::Metadata),
    opt("nationalities", Kind::Texts),
    opt("phone", Kind::Text),
    todo("political_exposure"),
    todo("relationship"),
    todo("script_addresses"),
    todo("script_names"),
    opt("surname", Kind::Text),
];

const IDENTITY: &[Param] = &[
    opt(
        "attestations",
        Kind::Hash(&[
            todo("directorship_declaration"),
            todo("ownership_declaration"),
            todo("persons_provided"),
            todo("representative_declaration"),
            opt(
                "terms_of_service",
                Kind::Hash(&[opt(
                    "account",
                    Kind::Hash(&[
                        req("date", Kind::Text),
                        req("ip", Kind::Text),
                        opt("user_agent", Kind::Text),
                    ]),
                )]),
            ),
        ]),
    ),
    opt("business_details", Kind::Hash(IDENTITY_BUSINESS_DETAILS)),
    opt("country", Kind::Text),
    opt(
        "entity_type",
        Kind::OneOf(&["company", "government_entity", "individual", "non_profit"]),
    ),
    opt("individual", Kind::Hash(IDENTITY_INDIVIDUAL)),
];

const POST_V2_ACCOUNT_MERCHANT_CAPABILITIES: &[Param] = &[
    opt(
        "ach_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "acss_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "affirm_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "afterpay_clearpay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "alma_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "amazon_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "au_becs_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "bacs_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "bancontact_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "blik_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("blik_recurring_payments"),
    opt(
        "boleto_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "card_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "cartes_bancaires_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "cashapp_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "eps_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "fpx_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "gb_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "grabpay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "ideal_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "jcb_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "jp_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "kakao_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "klarna_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "konbini_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "kr_card_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "link_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "mobilepay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "multibanco_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "mx_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "naver_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "oxxo_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "p24_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "pay_by_bank_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "payco_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "paynow_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "promptpay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "revolut_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "samsung_pay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "satispay_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "sepa_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "sepa_debit_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    todo("sequra_payments"),
    todo("sunbit_payments"),
    opt(
        "swish_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "twint_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "us_bank_transfer_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
    opt(
        "zip_payments",
        Kind::Hash(&[opt("requested", Kind::Boolean)]),
    ),
];

const POST_V2_ACCOUNT_CONFIGURATION_MERCHANT: &[Param] = &[
    opt("applied", Kind::Boolean),
    todo("bacs_debit_payments"),
    opt(
        "branding",
        Kind::Hash(&[
            opt("icon", Kind::Text),
            opt("logo", Kind::Text),
            opt("primary_color", Kind::Text),
            opt("secondary_color", Kind::Text),
        ]),
    ),
    opt(
        "capabilities",
        Kind::Hash(POST_V2_ACCOUNT_MERCHANT_CAPABILITIES),
    ),
    opt(
        "card_payments",
        Kind::Hash(&[opt(
            "decline_on",
            Kind::Hash(&[
                opt("avs_failure", Kind::Boolean),
                opt("cvc_failure", Kind::Boolean),
            ]),
        )]),
    ),
    todo("konbini_payments"),
    opt("mcc", Kind::Text),
    todo("script_statement_descriptor"),
    todo("sepa_debit_payments"),
    opt(
        "statement_descriptor",
        Kind::Hash(&[opt("descriptor", Kind::Text), opt("prefix", Kind::Text)]),
    ),
    opt(
        "support",
        Kind::Hash(&[
            opt(
                "address",
                Kind::Hash(&[
                    opt("city", Kind::Text),
                    opt("country", Kind::Text),
                    opt("line1", Kind::Text),
                    opt("line2", Kind::Text),
                    opt("postal_code", Kind::Text),
                    opt("state", Kind::Text),
                    opt("town", Kind::Text),
                ]),
            ),
            opt("email", Kind::Text),
            opt("phone", Kind::Text),
            opt("url", Kind::Text),
        ]),
    ),
];

const POST_V2_ACCOUNT_CONFIGURATION: &[Param] = &[
    opt(
        "customer",
        Kind::Hash(&[
            opt("applied", Kind::Boolean),
            todo("automatic_indirect_tax"),
            todo("billing"),
            opt(
                "capabilities",
                Kind::Hash(&[opt(
                    "automatic_indirect_tax",
                    Kind::Hash(&[opt("requested", Kind::Boolean)]),
                )]),
            ),
            todo("shipping"),
            todo("test_clock"),
        ]),
    ),
    opt(
        "merchant",
        Kind::Hash(POST_V2_ACCOUNT_CONFIGURATION_MERCHANT),
    ),
    opt(
        "recipient",
        Kind::Hash(&[
            opt("applied", Kind::Boolean),
            opt(
                "capabilities",
                Kind::Hash(&[opt(
                    "stripe_balance",
                    Kind::Hash(&[opt(
                        "stripe_transfers",
                        Kind::Hash(&[opt("requested", Kind::Boolean)]),
                    )]),
                )]),
            ),
        ]),
    ),
];

const POST_V2_ACCOUNT_IDENTITY_BUSINESS_DETAILS: &[Param] = &[
    todo("additional_addresses"),
    opt(
        "address",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
            opt("town", Kind::Text),
        ]),
    ),
    todo("annual_revenue"),
    todo("documents"),
    todo("estimated_worker_count"),
    opt(
        "id_numbers",
        Kind::Hashes(&[
            opt("registrar", Kind::Text),
            req("type", Kind::Text),
            req("value", Kind::Text),
        ]),
    ),
    todo("monthly_estimated_revenue"),
    opt("phone", Kind::Text),
    opt("registered_name", Kind::Text),
    todo("registration_date"),
    todo("script_addresses"),
    todo("script_names"),
    opt("structure", Kind::Text),
];

const POST_V2_ACCOUNT_IDENTITY_INDIVIDUAL: &[Param] = &[
    todo("additional_addresses"),
    todo("additional_names"),
    opt(
        "address",
        Kind::Hash(&[
            opt("city", Kind::Text),
            opt("country", Kind::Text),
            opt("line1", Kind::Text),
            opt("line2", Kind::Text),
            opt("postal_code", Kind::Text),
            opt("state", Kind::Text),
            opt("town", Kind::Text),
        ]),
    ),
    opt(
        "date_of_birth",
        Kind::Hash(&[
            req("day", Kind::Integer),
            req("month", Kind::Integer),
            req("year", Kind::Integer),
        ]),
    ),
    todo("documents"),
    opt("email", Kind::Text),
    opt("given_name", Kind::Text),
    opt(
        "id_numbers",
        Kind::Hashes(&[req("type", Kind::Text), req("value", Kind::Text)]),
    ),
    todo("legal_gender"),
    opt("metadata", Kind::Metadata),
    opt("nationalities", Kind::Texts),
    opt("phone", Kind::Text),
    todo("political_exposure"),
    todo("relationship"),
    todo("script_addresses"),
    todo("script_names"),
    opt("surname", Kind::Text),
];

const POST_V2_ACCOUNT_IDENTITY: &[Param] = &[
    opt(
        "attestations",
        Kind::Hash(&[
            todo("directorship_declaration"),
            todo("ownership_declaration"),
            todo("persons_provided"),
            todo("representative_declaration"),
            opt(
                "terms_of_service",
                Kind::Hash(&[
                    opt(
                        "account",
                        Kind::Hash(&[
                            opt("date", Kind::Text),
                            opt("ip", Kind::Text),
                            opt("user_agent", Kind::Text),
                        ]),
                    ),
                    todo("crypto_money_manager"),
                    todo("money_manager"),
                ]),
            ),
        ]),
    ),
    opt(
        "business_details",
        Kind::Hash(POST_V2_ACCOUNT_IDENTITY_BUSINESS_DETAILS),
    ),
    opt("country", Kind::Text),
    opt(
        "entity_type",
        Kind::OneOf(&["company", "government_entity", "individual", "non_profit"]),
    ),
    opt(
        "individual",
        Kind::Hash(POST_V2_ACCOUNT_IDENTITY_INDIVIDUAL),
    ),
];

const USE_CASE_ACCOUNT_ONBOARDING: &[Param] = &[opt("collection_options", Kind::Hash(&[opt("fields", Kind::OneOf(&["currently_due", "eventually_due"])), opt("future_requirements", Kind::OneOf(&["include", "omit"]))])), req("refresh_url", Kind::Text), opt("return_url", Kind::Text), req("configurations", Kind::Texts).beyond_spec("the `2026-09-30.preview` API the portal pins takes `configurations[]` (../shared/stripe-docs/FACTS.md, Accounts v2) and the emulator's links are per configuration, so it requires it; the GA spec subset lacks it")];
/// `POST /v1/accounts`: Stripe's OpenAPI operation `PostAccounts`.
pub const POST_ACCOUNTS: Operation = Operation {
    method: "POST",
    path: "/v1/accounts",
    source: Source::OpenApi("PostAccounts"),
    params: &[
        opt("account_token", Kind::Text),
        todo("bank_account"),
        opt("business_profile", Kind::Hash(BUSINESS_PROFILE)),
        opt(
            "business_type",
            Kind::OneOf(&["company", "government_entity", "individual", "non_profit"]),
        ),
        opt("capabilities", Kind::Hash(ACCOUNT_CAPABILITIES)),
        opt("company", Kind::Hash(COMPANY)),
        opt(
            "controller",
            Kind::Hash(&[
                opt(
                    "fees",
                    Kind::Hash(&[opt("payer", Kind::OneOf(&["account", "application"]))]),
                ),
                opt(
                    "losses",
                    Kind::Hash(&[opt("payments", Kind::OneOf(&["application", "stripe"]))]),
                ),
                opt(
                    "requirement_collection",
                    Kind::OneOf(&["application", "stripe"]),
                ),
                opt(
                    "stripe_dashboard",
                    Kind::Hash(&[opt("type", Kind::OneOf(&["express", "full", "none"]))]),
                ),
            ]),
        ),
        opt("country", Kind::Text),
        opt("default_currency", Kind::Text),
        opt("documents", Kind::Hash(DOCUMENTS)),
        opt("email", Kind::Text),
        opt("expand", Kind::Texts),
        opt("external_account", Kind::Text),
        opt("groups", Kind::Hash(&[opt("payments_pricing", Kind::Text)])),
        opt("individual", Kind::Hash(INDIVIDUAL)),
        opt("metadata", Kind::Metadata),
        opt("settings", Kind::Hash(SETTINGS)),
        opt(
            "tos_acceptance",
            Kind::Hash(&[
                opt("date", Kind::Integer),
                opt("ip", Kind::Text),
                opt("service_agreement", Kind::OneOf(&["full", "recipient"]))
                    .beyond_spec(SERVICE_AGREEMENT),
                opt("user_agent", Kind::Text),
            ]),
        ),
        opt("type", Kind::OneOf(&["custom", "express", "standard"])),
    ],
};
/// `GET /v1/accounts`: Stripe's OpenAPI operation `GetAccounts`.
pub const GET_ACCOUNTS: Operation = Operation {
    method: "GET",
    path: "/v1/accounts",
    source: Source::OpenApi("GetAccounts"),
    params: &[
        opt("created", Kind::Range),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("starting_after", Kind::Text),
    ],
};
/// `GET /v1/accounts/{account}`: Stripe's OpenAPI operation `GetAccountsAccount`.
pub const GET_ACCOUNT: Operation = Operation {
    method: "GET",
    path: "/v1/accounts/{account}",
    source: Source::OpenApi("GetAccountsAccount"),
    params: &[opt("expand", Kind::Texts)],
};
/// `POST /v1/accounts/{account}`: Stripe's OpenAPI operation `PostAccountsAccount`.
pub const POST_ACCOUNT: Operation = Operation {
    method: "POST",
    path: "/v1/accounts/{account}",
    source: Source::OpenApi("PostAccountsAccount"),
    params: &[
        opt("account_token", Kind::Text),
        opt("business_profile", Kind::Hash(BUSINESS_PROFILE)),
        opt(
            "business_type",
            Kind::OneOf(&["company", "government_entity", "individual", "non_profit"]),
        ),
        opt("capabilities", Kind::Hash(ACCOUNT_CAPABILITIES)),
        opt("company", Kind::Hash(COMPANY)),
        opt("default_currency", Kind::Text),
        opt("documents", Kind::Hash(POST_ACCOUNT_DOCUMENTS)),
        opt("email", Kind::Text),
        opt("expand", Kind::Texts),
        opt("external_account", Kind::Text),
        opt("groups", Kind::Hash(&[opt("payments_pricing", Kind::Text)])),
        opt("individual", Kind::Hash(INDIVIDUAL)),
        opt("metadata", Kind::Metadata),
        opt("settings", Kind::Hash(POST_ACCOUNT_SETTINGS)),
        opt(
            "tos_acceptance",
            Kind::Hash(&[
                opt("date", Kind::Integer),
                opt("ip", Kind::Text),
                opt("service_agreement", Kind::OneOf(&["full", "recipient"]))
                    .beyond_spec(SERVICE_AGREEMENT),
                opt("user_agent", Kind::Text),
            ]),
        ),
    ],
};
/// `DELETE /v1/accounts/{account}`: Stripe's OpenAPI operation `DeleteAccountsAccount`.
pub const DELETE_ACCOUNT: Operation = Operation {
    method: "DELETE",
    path: "/v1/accounts/{account}",
    source: Source::OpenApi("DeleteAccountsAccount"),
    params: &[],
};
/// `GET /v1/account`: stripe-python's `stripe._account_service:AccountService.RetrieveCurrentParams` (not in the OpenAPI subset).
pub const GET_CURRENT_ACCOUNT: Operation = Operation {
    method: "GET",
    path: "/v1/account",
    source: Source::Sdk("stripe._account_service:AccountService.RetrieveCurrentParams"),
    params: &[opt("expand", Kind::Texts)],
};
/// `POST /v1/accounts/{account}/reject`: Stripe's OpenAPI operation `PostAccountsAccountReject`.
pub const POST_ACCOUNT_REJECT: Operation = Operation {
    method: "POST",
    path: "/v1/accounts/{account}/reject",
    source: Source::OpenApi("PostAccountsAccountReject"),
    params: &[
        opt("expand", Kind::Texts),
        todo("payouts_action"),
        req(
            "reason",
            Kind::OneOf(&[
                "credit",
                "fraud_no_intent_to_fulfill",
                "fraud_other",
                "fraud_payment_method_casher",
                "fraud_payment_method_tester",
                "other",
                "terms_of_service",
            ]),
        ),
    ],
};
/// `GET /v1/accounts/{account}/capabilities`: Stripe's OpenAPI operation `GetAccountsAccountCapabilities`.
pub const GET_CAPABILITIES: Operation = Operation {
    method: "GET",
    path: "/v1/accounts/{account}/capabilities",
    source: Source::OpenApi("GetAccountsAccountCapabilities"),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/accounts/{account}/capabilities/{capability}`: Stripe's OpenAPI operation `GetAccountsAccountCapabilitiesCapability`.
pub const GET_CAPABILITY: Operation = Operation {
    method: "GET",
    path: "/v1/accounts/{account}/capabilities/{capability}",
    source: Source::OpenApi("GetAccountsAccountCapabilitiesCapability"),
    params: &[opt("expand", Kind::Texts)],
};
/// `POST /v1/accounts/{account}/capabilities/{capability}`: Stripe's OpenAPI operation `PostAccountsAccountCapabilitiesCapability`.
pub const POST_CAPABILITY: Operation = Operation {
    method: "POST",
    path: "/v1/accounts/{account}/capabilities/{capability}",
    source: Source::OpenApi("PostAccountsAccountCapabilitiesCapability"),
    params: &[opt("expand", Kind::Texts), opt("requested", Kind::Boolean)],
};
/// `POST /v1/accounts/{account}/external_accounts`: stripe-python's `stripe._account_external_account_service:AccountExternalAccountService.CreateParams` (not in the OpenAPI subset).
pub const POST_EXTERNAL_ACCOUNTS: Operation = Operation {
    method: "POST",
    path: "/v1/accounts/{account}/external_accounts",
    source: Source::Sdk(
        "stripe._account_external_account_service:AccountExternalAccountService.CreateParams",
    ),
    params: &[
        opt("default_for_currency", Kind::Boolean),
        opt("expand", Kind::Texts),
        req("external_account", Kind::Text),
        opt("metadata", Kind::Metadata),
    ],
};
/// `GET /v1/accounts/{account}/external_accounts`: stripe-python's `stripe._account_external_account_service:AccountExternalAccountService.ListParams` (not in the OpenAPI subset).
pub const GET_EXTERNAL_ACCOUNTS: Operation = Operation {
    method: "GET",
    path: "/v1/accounts/{account}/external_accounts",
    source: Source::Sdk(
        "stripe._account_external_account_service:AccountExternalAccountService.ListParams",
    ),
    params: &[
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("object", Kind::OneOf(&["bank_account", "card"])),
        opt("starting_after", Kind::Text),
    ],
};
/// `GET /v1/accounts/{account}/external_accounts/{id}`: stripe-python's `stripe._account_external_account_service:AccountExternalAccountService.RetrieveParams` (not in the OpenAPI subset).
pub const GET_EXTERNAL_ACCOUNT: Operation = Operation {
    method: "GET",
    path: "/v1/accounts/{account}/external_accounts/{id}",
    source: Source::Sdk(
        "stripe._account_external_account_service:AccountExternalAccountService.RetrieveParams",
    ),
    params: &[opt("expand", Kind::Texts)],
};
/// `DELETE /v1/accounts/{account}/external_accounts/{id}`: stripe-python's `stripe._account_external_account_service:AccountExternalAccountService.DeleteParams` (not in the OpenAPI subset).
pub const DELETE_EXTERNAL_ACCOUNT: Operation = Operation {
    method: "DELETE",
    path: "/v1/accounts/{account}/external_accounts/{id}",
    source: Source::Sdk(
        "stripe._account_external_account_service:AccountExternalAccountService.DeleteParams",
    ),
    params: &[],
};
/// `POST /v1/accounts/{account}/login_links`: Stripe's OpenAPI operation `PostAccountsAccountLoginLinks`.
pub const POST_LOGIN_LINKS: Operation = Operation {
    method: "POST",
    path: "/v1/accounts/{account}/login_links",
    source: Source::OpenApi("PostAccountsAccountLoginLinks"),
    params: &[opt("expand", Kind::Texts)],
};
/// `POST /v1/account_links`: Stripe's OpenAPI operation `PostAccountLinks`.
pub const POST_ACCOUNT_LINKS: Operation = Operation {
    method: "POST",
    path: "/v1/account_links",
    source: Source::OpenApi("PostAccountLinks"),
    params: &[
        req("account", Kind::Text),
        opt("collect", Kind::OneOf(&["currently_due", "eventually_due"])),
        opt(
            "collection_options",
            Kind::Hash(&[
                opt("fields", Kind::OneOf(&["currently_due", "eventually_due"])),
                opt("future_requirements", Kind::OneOf(&["include", "omit"])),
            ]),
        ),
        opt("expand", Kind::Texts),
        opt("refresh_url", Kind::Text),
        opt("return_url", Kind::Text),
        req(
            "type",
            Kind::OneOf(&["account_onboarding", "account_update"]),
        ),
    ],
};
/// `POST /v1/account_sessions`: Stripe's OpenAPI operation `PostAccountSessions`.
pub const POST_ACCOUNT_SESSIONS: Operation = Operation {
    method: "POST",
    path: "/v1/account_sessions",
    source: Source::OpenApi("PostAccountSessions"),
    params: &[
        req("account", Kind::Text),
        req("components", Kind::Hash(SESSION_COMPONENTS)),
        opt("expand", Kind::Texts),
    ],
};
/// `GET /v1/balance`: Stripe's OpenAPI operation `GetBalance`.
pub const GET_BALANCE: Operation = Operation {
    method: "GET",
    path: "/v1/balance",
    source: Source::OpenApi("GetBalance"),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/balance_transactions`: stripe-python's `stripe._balance_transaction_service:BalanceTransactionService.ListParams` (not in the OpenAPI subset).
pub const GET_BALANCE_TRANSACTIONS: Operation = Operation {
    method: "GET",
    path: "/v1/balance_transactions",
    source: Source::Sdk("stripe._balance_transaction_service:BalanceTransactionService.ListParams"),
    params: &[
        opt("created", Kind::Range),
        opt("currency", Kind::Text),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("payout", Kind::Text),
        opt("source", Kind::Text),
        opt("starting_after", Kind::Text),
        opt("type", Kind::Text),
    ],
};
/// `GET /v1/balance_transactions/{id}`: stripe-python's `stripe._balance_transaction_service:BalanceTransactionService.RetrieveParams` (not in the OpenAPI subset).
pub const GET_BALANCE_TRANSACTION: Operation = Operation {
    method: "GET",
    path: "/v1/balance_transactions/{id}",
    source: Source::Sdk(
        "stripe._balance_transaction_service:BalanceTransactionService.RetrieveParams",
    ),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/payouts`: Stripe's OpenAPI operation `GetPayouts`.
pub const GET_PAYOUTS: Operation = Operation {
    method: "GET",
    path: "/v1/payouts",
    source: Source::OpenApi("GetPayouts"),
    params: &[
        todo("arrival_date"),
        opt("created", Kind::Range),
        todo("destination"),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("starting_after", Kind::Text),
        opt("status", Kind::Text),
    ],
};
/// `POST /v1/payouts`: Stripe's OpenAPI operation `PostPayouts`.
pub const POST_PAYOUTS: Operation = Operation {
    method: "POST",
    path: "/v1/payouts",
    source: Source::OpenApi("PostPayouts"),
    params: &[
        req("amount", Kind::Integer),
        req("currency", Kind::Text),
        opt("description", Kind::Text),
        opt("destination", Kind::Text),
        opt("expand", Kind::Texts),
        opt("metadata", Kind::Metadata),
        opt("method", Kind::OneOf(&["instant", "standard"])),
        todo("payout_method"),
        opt("source_type", Kind::OneOf(&["bank_account", "card", "fpx"])),
        opt("statement_descriptor", Kind::Text),
    ],
};
/// `GET /v1/payouts/{payout}`: Stripe's OpenAPI operation `GetPayoutsPayout`.
pub const GET_PAYOUT: Operation = Operation {
    method: "GET",
    path: "/v1/payouts/{payout}",
    source: Source::OpenApi("GetPayoutsPayout"),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/payment_intents`: stripe-python's `stripe._payment_intent_service:PaymentIntentService.ListParams` (not in the OpenAPI subset).
pub const GET_PAYMENT_INTENTS: Operation = Operation {
    method: "GET",
    path: "/v1/payment_intents",
    source: Source::Sdk("stripe._payment_intent_service:PaymentIntentService.ListParams"),
    params: &[
        opt("created", Kind::Range),
        opt("customer", Kind::Text),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("starting_after", Kind::Text),
    ],
};
/// `POST /v1/payment_intents`: stripe-python's `stripe._payment_intent_service:PaymentIntentService.CreateParams` (not in the OpenAPI subset).
pub const POST_PAYMENT_INTENTS: Operation = Operation {
    method: "POST",
    path: "/v1/payment_intents",
    source: Source::Sdk("stripe._payment_intent_service:PaymentIntentService.CreateParams"),
    params: &[
        req("amount", Kind::Integer),
        opt("application_fee_amount", Kind::Integer),
        opt(
            "automatic_payment_methods",
            Kind::Hash(&[
                opt("allow_redirects", Kind::OneOf(&["always", "never"])),
                req("enabled", Kind::Boolean),
            ]),
        ),
        opt("capture_method", Kind::Text),
        opt("confirm", Kind::Boolean),
        todo("confirmation_method"),
        todo("confirmation_token"),
        req("currency", Kind::Text),
        opt("customer", Kind::Text),
        opt("description", Kind::Text),
        todo("error_on_requires_action"),
        todo("excluded_payment_method_types"),
        opt("expand", Kind::Texts),
        todo("mandate"),
        todo("mandate_data"),
        opt("metadata", Kind::Metadata),
        todo("off_session"),
        opt("on_behalf_of", Kind::Text),
        opt("payment_method", Kind::Text),
        todo("payment_method_configuration"),
        todo("payment_method_data"),
        todo("payment_method_options"),
        opt("payment_method_types", Kind::Texts),
        todo("radar_options"),
        opt("receipt_email", Kind::Text),
        opt("return_url", Kind::Text),
        todo("setup_future_usage"),
        todo("shipping"),
        opt("statement_descriptor", Kind::Text),
        opt("statement_descriptor_suffix", Kind::Text),
        opt(
            "transfer_data",
            Kind::Hash(&[opt("amount", Kind::Integer), req("destination", Kind::Text)]),
        ),
        todo("transfer_group"),
        todo("use_stripe_sdk"),
    ],
};
/// `GET /v1/payment_intents/{intent}`: stripe-python's `stripe._payment_intent_service:PaymentIntentService.RetrieveParams` (not in the OpenAPI subset).
pub const GET_PAYMENT_INTENT: Operation = Operation {
    method: "GET",
    path: "/v1/payment_intents/{intent}",
    source: Source::Sdk("stripe._payment_intent_service:PaymentIntentService.RetrieveParams"),
    params: &[todo("client_secret"), opt("expand", Kind::Texts)],
};
/// `GET /v1/charges`: stripe-python's `stripe._charge_service:ChargeService.ListParams` (not in the OpenAPI subset).
pub const GET_CHARGES: Operation = Operation {
    method: "GET",
    path: "/v1/charges",
    source: Source::Sdk("stripe._charge_service:ChargeService.ListParams"),
    params: &[
        opt("created", Kind::Range),
        todo("customer"),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("payment_intent", Kind::Text),
        opt("starting_after", Kind::Text),
        todo("transfer_group"),
    ],
};
/// `GET /v1/charges/{charge}`: stripe-python's `stripe._charge_service:ChargeService.RetrieveParams` (not in the OpenAPI subset).
pub const GET_CHARGE: Operation = Operation {
    method: "GET",
    path: "/v1/charges/{charge}",
    source: Source::Sdk("stripe._charge_service:ChargeService.RetrieveParams"),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/refunds`: stripe-python's `stripe._refund_service:RefundService.ListParams` (not in the OpenAPI subset).
pub const GET_REFUNDS: Operation = Operation {
    method: "GET",
    path: "/v1/refunds",
    source: Source::Sdk("stripe._refund_service:RefundService.ListParams"),
    params: &[
        opt("charge", Kind::Text),
        opt("created", Kind::Range),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        todo("payment_intent"),
        opt("starting_after", Kind::Text),
    ],
};
/// `POST /v1/refunds`: stripe-python's `stripe._refund_service:RefundService.CreateParams` (not in the OpenAPI subset).
pub const POST_REFUNDS: Operation = Operation {
    method: "POST",
    path: "/v1/refunds",
    source: Source::Sdk("stripe._refund_service:RefundService.CreateParams"),
    params: &[
        opt("amount", Kind::Integer),
        opt("charge", Kind::Text),
        todo("currency"),
        todo("customer"),
        opt("expand", Kind::Texts),
        todo("instructions_email"),
        opt("metadata", Kind::Metadata),
        todo("origin"),
        opt("payment_intent", Kind::Text),
        opt(
            "reason",
            Kind::OneOf(&["duplicate", "fraudulent", "requested_by_customer"]),
        ),
        opt("refund_application_fee", Kind::Boolean),
        opt("reverse_transfer", Kind::Boolean),
    ],
};
/// `GET /v1/refunds/{refund}`: stripe-python's `stripe._refund_service:RefundService.RetrieveParams` (not in the OpenAPI subset).
pub const GET_REFUND: Operation = Operation {
    method: "GET",
    path: "/v1/refunds/{refund}",
    source: Source::Sdk("stripe._refund_service:RefundService.RetrieveParams"),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/disputes`: stripe-python's `stripe._dispute_service:DisputeService.ListParams` (not in the OpenAPI subset).
pub const GET_DISPUTES: Operation = Operation {
    method: "GET",
    path: "/v1/disputes",
    source: Source::Sdk("stripe._dispute_service:DisputeService.ListParams"),
    params: &[
        opt("charge", Kind::Text),
        opt("created", Kind::Range),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        todo("payment_intent"),
        opt("starting_after", Kind::Text),
    ],
};
/// `GET /v1/disputes/{dispute}`: stripe-python's `stripe._dispute_service:DisputeService.RetrieveParams` (not in the OpenAPI subset).
pub const GET_DISPUTE: Operation = Operation {
    method: "GET",
    path: "/v1/disputes/{dispute}",
    source: Source::Sdk("stripe._dispute_service:DisputeService.RetrieveParams"),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/application_fees`: stripe-python's `stripe._application_fee_service:ApplicationFeeService.ListParams` (not in the OpenAPI subset).
pub const GET_APPLICATION_FEES: Operation = Operation {
    method: "GET",
    path: "/v1/application_fees",
    source: Source::Sdk("stripe._application_fee_service:ApplicationFeeService.ListParams"),
    params: &[
        opt("charge", Kind::Text),
        opt("created", Kind::Range),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("starting_after", Kind::Text),
    ],
};
/// `GET /v1/application_fees/{id}`: stripe-python's `stripe._application_fee_service:ApplicationFeeService.RetrieveParams` (not in the OpenAPI subset).
pub const GET_APPLICATION_FEE: Operation = Operation {
    method: "GET",
    path: "/v1/application_fees/{id}",
    source: Source::Sdk("stripe._application_fee_service:ApplicationFeeService.RetrieveParams"),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/events`: Stripe's OpenAPI operation `GetEvents`.
pub const GET_EVENTS: Operation = Operation {
    method: "GET",
    path: "/v1/events",
    source: Source::OpenApi("GetEvents"),
    params: &[
        opt("created", Kind::Range),
        opt("delivery_success", Kind::Boolean),
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("starting_after", Kind::Text),
        opt("type", Kind::Text),
        opt("types", Kind::Texts),
    ],
};
/// `GET /v1/events/{id}`: Stripe's OpenAPI operation `GetEventsId`.
pub const GET_EVENT: Operation = Operation {
    method: "GET",
    path: "/v1/events/{id}",
    source: Source::OpenApi("GetEventsId"),
    params: &[opt("expand", Kind::Texts)],
};
/// `GET /v1/webhook_endpoints`: Stripe's OpenAPI operation `GetWebhookEndpoints`.
pub const GET_WEBHOOK_ENDPOINTS: Operation = Operation {
    method: "GET",
    path: "/v1/webhook_endpoints",
    source: Source::OpenApi("GetWebhookEndpoints"),
    params: &[
        opt("ending_before", Kind::Text),
        opt("expand", Kind::Texts),
        opt("limit", Kind::Integer),
        opt("starting_after", Kind::Text),
    ],
};
/// `POST /v1/webhook_endpoints`: Stripe's OpenAPI operation `PostWebhookEndpoints`.
pub const POST_WEBHOOK_ENDPOINTS: Operation = Operation {
    method: "POST",
    path: "/v1/webhook_endpoints",
    source: Source::OpenApi("PostWebhookEndpoints"),
    params: &[
        opt("api_version", Kind::Text),
        opt("connect", Kind::Boolean),
        opt("description", Kind::Text),
        req("enabled_events", Kind::Texts),
        opt("expand", Kind::Texts),
        opt("metadata", Kind::Metadata),
        req("url", Kind::Text),
    ],
};
/// `GET /v1/webhook_endpoints/{webhook_endpoint}`: stripe-python's `stripe._webhook_endpoint_service:WebhookEndpointService.RetrieveParams` (not in the OpenAPI subset).
pub const GET_WEBHOOK_ENDPOINT: Operation = Operation {
    method: "GET",
    path: "/v1/webhook_endpoints/{webhook_endpoint}",
    source: Source::Sdk("stripe._webhook_endpoint_service:WebhookEndpointService.RetrieveParams"),
    params: &[opt("expand", Kind::Texts)],
};
/// `POST /v1/webhook_endpoints/{webhook_endpoint}`: stripe-python's `stripe._webhook_endpoint_service:WebhookEndpointService.UpdateParams` (not in the OpenAPI subset).
pub const POST_WEBHOOK_ENDPOINT: Operation = Operation {
    method: "POST",
    path: "/v1/webhook_endpoints/{webhook_endpoint}",
    source: Source::Sdk("stripe._webhook_endpoint_service:WebhookEndpointService.UpdateParams"),
    params: &[
        opt("description", Kind::Text),
        opt("disabled", Kind::Boolean),
        opt("enabled_events", Kind::Texts),
        opt("expand", Kind::Texts),
        opt("metadata", Kind::Metadata),
        opt("url", Kind::Text),
    ],
};
/// `DELETE /v1/webhook_endpoints/{webhook_endpoint}`: stripe-python's `stripe._webhook_endpoint_service:WebhookEndpointService.DeleteParams` (not in the OpenAPI subset).
pub const DELETE_WEBHOOK_ENDPOINT: Operation = Operation {
    method: "DELETE",
    path: "/v1/webhook_endpoints/{webhook_endpoint}",
    source: Source::Sdk("stripe._webhook_endpoint_service:WebhookEndpointService.DeleteParams"),
    params: &[],
};
/// `POST /v2/core/accounts`: Stripe's OpenAPI operation `PostV2CoreAccounts`.
pub const POST_V2_ACCOUNTS: Operation = Operation {
    method: "POST",
    path: "/v2/core/accounts",
    source: Source::OpenApi("PostV2CoreAccounts"),
    params: &[
        todo("account_token"),
        opt("configuration", Kind::Hash(CONFIGURATION)),
        opt("contact_email", Kind::Text),
        opt("contact_phone", Kind::Text),
        opt("dashboard", Kind::OneOf(&["express", "full", "none"])),
        opt("defaults", Kind::Hash(DEFAULTS)),
        opt("display_name", Kind::Text),
        opt("identity", Kind::Hash(IDENTITY)),
        opt("include", Kind::OneOfEach(V2_ACCOUNT_INCLUDES)),
        opt("metadata", Kind::Metadata),
    ],
};
/// `GET /v2/core/accounts`: Stripe's OpenAPI operation `GetV2CoreAccounts`.
pub const GET_V2_ACCOUNTS: Operation = Operation {
    method: "GET",
    path: "/v2/core/accounts",
    source: Source::OpenApi("GetV2CoreAccounts"),
    params: &[
        opt("applied_configurations", Kind::Texts),
        opt("closed", Kind::Boolean),
        opt("limit", Kind::Integer),
        opt("page", Kind::Text),
    ],
};
/// `GET /v2/core/accounts/{id}`: Stripe's OpenAPI operation `GetV2CoreAccountsId`.
pub const GET_V2_ACCOUNT: Operation = Operation {
    method: "GET",
    path: "/v2/core/accounts/{id}",
    source: Source::OpenApi("GetV2CoreAccountsId"),
    params: &[opt("include", Kind::OneOfEach(V2_ACCOUNT_INCLUDES))],
};
/// `POST /v2/core/accounts/{id}`: Stripe's OpenAPI operation `PostV2CoreAccountsId`.
pub const POST_V2_ACCOUNT: Operation = Operation {
    method: "POST",
    path: "/v2/core/accounts/{id}",
    source: Source::OpenApi("PostV2CoreAccountsId"),
    params: &[
        todo("account_token"),
        opt("configuration", Kind::Hash(POST_V2_ACCOUNT_CONFIGURATION)),
        opt("contact_email", Kind::Text),
        opt("contact_phone", Kind::Text),
        opt("dashboard", Kind::OneOf(&["express", "full", "none"])),
        opt("defaults", Kind::Hash(DEFAULTS)),
        opt("display_name", Kind::Text),
        opt("identity", Kind::Hash(POST_V2_ACCOUNT_IDENTITY)),
        opt("include", Kind::OneOfEach(V2_ACCOUNT_INCLUDES)),
        opt("metadata", Kind::Metadata),
    ],
};
/// `POST /v2/core/account_links`: Stripe's OpenAPI operation `PostV2CoreAccountLinks`.
pub const POST_V2_ACCOUNT_LINKS: Operation = Operation {
    method: "POST",
    path: "/v2/core/account_links",
    source: Source::OpenApi("PostV2CoreAccountLinks"),
    params: &[
        req("account", Kind::Text),
        req(
            "use_case",
            Kind::Hash(&[
                opt(
                    "account_onboarding",
                    Kind::Hash(USE_CASE_ACCOUNT_ONBOARDING),
                ),
                opt("account_update", Kind::Hash(USE_CASE_ACCOUNT_ONBOARDING)),
                req(
                    "type",
                    Kind::OneOf(&["account_onboarding", "account_update"]),
                ),
            ]),
        ),
    ],
};
/// `GET /v2/core/events/{id}`: Stripe's OpenAPI operation `GetV2CoreEventsId`.
pub const GET_V2_EVENT: Operation = Operation {
    method: "GET",
    path: "/v2/core/events/{id}",
    source: Source::OpenApi("GetV2CoreEventsId"),
    params: &[],
};
/// `GET /v2/core/event_destinations`: Stripe's OpenAPI operation `GetV2CoreEventDestinations`.
pub const GET_V2_EVENT_DESTINATIONS: Operation = Operation {
    method: "GET",
    path: "/v2/core/event_destinations",
    source: Source::OpenApi("GetV2CoreEventDestinations"),
    params: &[
        opt("include", Kind::OneOfEach(&["webhook_endpoint.url"])),
        opt("limit", Kind::Integer),
        opt("page", Kind::Text),
    ],
};
/// `POST /v2/core/event_destinations`: Stripe's OpenAPI operation `PostV2CoreEventDestinations`.
pub const POST_V2_EVENT_DESTINATIONS: Operation = Operation {
    method: "POST",
    path: "/v2/core/event_destinations",
    source: Source::OpenApi("PostV2CoreEventDestinations"),
    params: &[
        todo("amazon_eventbridge"),
        todo("azure_event_grid"),
        opt("description", Kind::Text),
        req("enabled_events", Kind::Texts),
        req("event_payload", Kind::OneOf(&["snapshot", "thin"])),
        opt("events_from", Kind::Texts),
        opt(
            "include",
            Kind::OneOfEach(&["webhook_endpoint.signing_secret", "webhook_endpoint.url"]),
        ),
        opt("metadata", Kind::Metadata),
        req("name", Kind::Text),
        opt("snapshot_api_version", Kind::Text),
        req(
            "type",
            Kind::OneOf(&["amazon_eventbridge", "azure_event_grid", "webhook_endpoint"]),
        ),
        opt("webhook_endpoint", Kind::Hash(&[req("url", Kind::Text)])),
    ],
};

/// Every operation above, in the order `FIDELITY.md` lists them.
pub const OPERATIONS: &[&Operation] = &[
    &POST_ACCOUNTS,
    &GET_ACCOUNTS,
    &GET_ACCOUNT,
    &POST_ACCOUNT,
    &DELETE_ACCOUNT,
    &GET_CURRENT_ACCOUNT,
    &POST_ACCOUNT_REJECT,
    &GET_CAPABILITIES,
    &GET_CAPABILITY,
    &POST_CAPABILITY,
    &POST_EXTERNAL_ACCOUNTS,
    &GET_EXTERNAL_ACCOUNTS,
    &GET_EXTERNAL_ACCOUNT,
    &DELETE_EXTERNAL_ACCOUNT,
    &POST_LOGIN_LINKS,
    &POST_ACCOUNT_LINKS,
    &POST_ACCOUNT_SESSIONS,
    &GET_BALANCE,
    &GET_BALANCE_TRANSACTIONS,
    &GET_BALANCE_TRANSACTION,
    &GET_PAYOUTS,
    &POST_PAYOUTS,
    &GET_PAYOUT,
    &GET_PAYMENT_INTENTS,
    &POST_PAYMENT_INTENTS,
    &GET_PAYMENT_INTENT,
    &GET_CHARGES,
    &GET_CHARGE,
    &GET_REFUNDS,
    &POST_REFUNDS,
    &GET_REFUND,
    &GET_DISPUTES,
    &GET_DISPUTE,
    &GET_APPLICATION_FEES,
    &GET_APPLICATION_FEE,
    &GET_EVENTS,
    &GET_EVENT,
    &GET_WEBHOOK_ENDPOINTS,
    &POST_WEBHOOK_ENDPOINTS,
    &GET_WEBHOOK_ENDPOINT,
    &POST_WEBHOOK_ENDPOINT,
    &DELETE_WEBHOOK_ENDPOINT,
    &POST_V2_ACCOUNTS,
    &GET_V2_ACCOUNTS,
    &GET_V2_ACCOUNT,
    &POST_V2_ACCOUNT,
    &POST_V2_ACCOUNT_LINKS,
    &GET_V2_EVENT,
    &GET_V2_EVENT_DESTINATIONS,
    &POST_V2_EVENT_DESTINATIONS,
];
