using System.Globalization;

namespace Exports.Sdk.Sources.AdoNet.Tests;

/// <summary>PostgreSQL's binary numeric layout, byte by byte: what is read, and what is left to the provider.</summary>
public sealed class PostgresNumericBytesTests
{
    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("0000000000000002", "0.00")]
    [InlineData("000200000000000200011388", "1.50")] // 1 and 5000 with weight 0: 1.5000 shown with two decimals
    [InlineData("0001FFFF400000040001", "-0.0001")]
    [InlineData("00010005000000000001", "100000000000000000000")] // 1 with weight 5: 10000^5
    [InlineData("00010007000000000001", "10000000000000000000000000000")] // 10000^7: a 29-digit decimal, on the 128-bit path
    [InlineData("00080007000000000007240C0659059210F1172F112B014F", "79228162514264337593543950335")] // decimal.MaxValue
    [InlineData("000800000000001C0007240C0659059210F1172F112B014F", "7.9228162514264337593543950335")] // eight digits, scale 28
    [InlineData("0004000300000000270F270F270F270F", "9999999999999999")] // the largest value of the 64-bit path
    public void KnownBytes_AreRead(string hex, string expected)
    {
        PostgresNumeric.TryRead(Convert.FromHexString(hex), out var value).Should().BeTrue();
        Text(value).Should().Be(expected);
    }

    [Theory]
    [InlineData("00000000C0000000")] // NaN
    [InlineData("00000000D0000000")] // Infinity
    [InlineData("00000000F0000000")] // -Infinity
    [InlineData("000100000000001D0001")] // scale 29
    [InlineData("0009000000000000000100010001000100010001000100010001")] // nine base-10000 digits
    [InlineData("0002000000000000000100010001")] // longer than its digit count says
    [InlineData("00020000000000000001")] // shorter than its digit count says
    [InlineData("000200000000000000010001")] // 1.0001 shown with no decimals: not a value PostgreSQL sends
    [InlineData("00010008000000000008")] // 8e32: too large
    [InlineData("00080007000000000007240C0659059210F1172F112B0150")] // decimal.MaxValue + 1
    [InlineData("000000")]
    public void OtherBytes_AreLeftToTheProvider(string hex)
    {
        PostgresNumeric.TryRead(Convert.FromHexString(hex), out _).Should().BeFalse();
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
