/// The refusals operations give, each with the input it concerns and its sentence, written once for every front
/// end.
extension InputProblem {
    /// Another install already registers handsets under this SIP domain.
    static let sipDomainTaken = InputProblem(
        field: "sip_domain", message: "Another install already uses this SIP domain; each install needs its own.")

    /// A new SIP domain needs the administrator's confirmation that every handset must be re-pointed.
    static let domainChangeUnconfirmed = InputProblem(
        field: "confirm_domain_change",
        message: "Confirm the new SIP domain: every handset must then be set to register to it.")

    /// A time zone name of the right shape that PostgreSQL does not know.
    static func unknownTimeZone(_ zone: TimeZoneName) -> InputProblem {
        InputProblem(
            field: "time_zone",
            message: "“\(zone)” is not a time zone the database knows; enter an IANA name such as Europe/London.")
    }

    /// Another user of the install already has this extension.
    static func extensionTaken(_ number: Extension) -> InputProblem {
        InputProblem(
            field: "extension",
            message: "Another user of this install already has extension \(number); choose a free one.")
    }

    /// The install already trusts exactly this range, described as `existing`.
    static func rangeAlreadyTrusted(_ network: IPv4Network, as existing: String) -> InputProblem {
        InputProblem(
            field: "network",
            message: "\(network) is already trusted, as “\(existing)”; there is no need to add it again.")
    }

    /// A range wider than /8 needs the administrator's confirmation, given for exactly that range.
    static func wideRangeUnconfirmed(_ network: IPv4Network) -> InputProblem {
        InputProblem(
            field: "confirm_wide",
            message: "\(network) admits \(network.formattedAddressCount) addresses; tick the box to confirm, "
                + "or enter the narrower range your phones use.")
    }

    /// A PIN refused for the user it would belong to.
    static func pin(_ error: HotDeskPINError) -> InputProblem {
        InputProblem(field: "pin", message: error.message)
    }

    /// Another account already signs in with this address.
    static let emailTaken = InputProblem(
        field: "email", message: "Another account already signs in with this address; enter a different one.")

    /// The change would leave the organization without an active administrator.
    static func lastAdministrator(keepsRole: Bool) -> InputProblem {
        InputProblem(
            field: keepsRole ? "disabled" : "role",
            message: "This is the organization's last active administrator, so it cannot be "
                + (keepsRole ? "disabled" : "made a manager") + ". Make another account an administrator first.")
    }

    /// Disabling an account needs the administrator's confirmation.
    static let disableUnconfirmed = InputProblem(
        field: "confirm", message: "Disabling the account signs it out everywhere; confirm that you want to disable it."
    )

    /// Administrators change their own password under My password, not with a reset.
    static let ownPasswordReset = InputProblem(
        field: "password",
        message: "To change your own password, use My password: it asks for your current one and keeps you signed in.")

    /// The current password typed to change one's own is wrong.
    static let wrongCurrentPassword = InputProblem(
        field: "current_password", message: "That is not your current password.")
}

extension InputProblem {
    /// A manager key must name the installs it may touch.
    static let managerKeyWithoutInstalls = InputProblem(
        field: "installs", message: "Choose at least one install for a manager key; it can touch nothing else.")

    /// A key's expiry must lie in the future.
    static let keyExpiryPast = InputProblem(
        field: "expires_at",
        message: "Choose an expiry date in the future, or leave it empty for a key that does not expire.")
}
