namespace SkRerank.Tests.TextSearch;

/// <summary>The help-centre FAQ of a made-up file sync product, written for these tests.</summary>
public static class FaqCorpus
{
    private static FaqEntry Entry(string id, string category, string question, string answer) =>
        new() { Id = id, Category = category, Question = question, Answer = answer, Link = $"https://help.example.com/faq/{id}" };

    public static IReadOnlyList<FaqEntry> Create() =>
    [
        Entry("billing-refund", "billing", "Can I cancel my plan?", "Yes. Cancel under Settings > Plan. If you cancel within 30 days of paying we refund the full amount to your card; after that the plan runs to the end of the period."),
        Entry("billing-invoice", "billing", "Where do I find my invoices?", "Invoices are listed under Settings > Billing > History and can be downloaded as PDF."),
        Entry("billing-upgrade", "billing", "How do I upgrade to a bigger plan?", "Choose Settings > Plan > Change. The price difference is charged pro rata for the rest of the month."),
        Entry("billing-payment", "billing", "Which payment methods do you accept?", "We accept credit cards, PayPal and bank transfer for yearly plans."),
        Entry("account-password", "account", "I can't sign in", "Use 'Forgot password' on the sign-in page: we email a link to set a new password. The link expires after one hour."),
        Entry("account-delete", "account", "How do I close my account?", "Settings > Account > Delete account removes your account and all files after a 14-day grace period."),
        Entry("account-email", "account", "How do I change my email address?", "Settings > Account > Email. We send a confirmation to the new address before switching."),
        Entry("account-2fa", "account", "How do I turn on two-factor authentication?", "Settings > Security > Two-factor: scan the QR code with an authenticator app and enter the six-digit code."),
        Entry("sync-conflict", "sync", "Why do I see files named 'conflicted copy'?", "When the same file is changed on two devices before they sync, we keep both versions and name one 'conflicted copy'."),
        Entry("sync-paused", "sync", "My files stopped syncing", "Check that the desktop app is running and not paused, that you are online, and that your storage quota is not full."),
        Entry("sync-selective", "sync", "Can I choose which folders sync to my laptop?", "Yes: Preferences > Selective sync lets you untick folders you don't want on this device."),
        Entry("sync-bandwidth", "sync", "Can I limit upload speed?", "Preferences > Network lets you cap upload and download bandwidth."),
        Entry("sharing-link", "sharing", "How do I share a file?", "Right-click the file and choose Share > Copy link. Anyone with the link can view it, no account needed; you can add a password and an expiry date."),
        Entry("sharing-folder", "sharing", "How do I invite people to a folder?", "Share > Invite and enter their email addresses; invited people need an account to edit."),
        Entry("sharing-revoke", "sharing", "How do I stop sharing?", "Open Share settings for the file or folder and choose Remove link or remove the person."),
        Entry("security-encryption", "security", "Are my files encrypted?", "Files are encrypted in transit with TLS and at rest with AES-256."),
        Entry("security-lost-device", "security", "What should I do if my laptop is stolen?", "Sign in on the web, open Security > Devices and choose Unlink with remote wipe to delete the synced files from it."),
        Entry("storage-recover", "storage", "Can I restore a file I deleted?", "Deleted files stay in the Trash for 30 days; open Trash on the web and choose Restore."),
        Entry("storage-versions", "storage", "Can I go back to an older version of a document?", "Open the file's version history on the web to restore any version from the last 30 days."),
        Entry("storage-quota", "storage", "What happens when my storage is full?", "Syncing stops until you free space or upgrade; nothing is deleted."),
    ];
}
