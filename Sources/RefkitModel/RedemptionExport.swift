/// The counter page's export (`redemptions-YYYY-MM-DD.csv`), which `refkit report --conversions`
/// reads as it is: the one place both sides take the columns from.
public enum RedemptionExport {
    /// `date` is the local date and time with its offset (`2027-03-02T14:05:11+01:00`); `email`,
    /// `value` and `staff` may be empty; `redemption_id` is unique per redemption (a random
    /// UUID made on the device), so the same redemption in two exports counts once.
    public static let columns = ["date", "code", "email", "value", "staff", "redemption_id"]
    /// The column that marks a conversions file as the counter's.
    public static let idColumn = "redemption_id"
}
