namespace Exports.Sdk.Tests.Formats.Csv;

public sealed class CsvFormatValidationTests
{
    private readonly CsvFormat _format = new();

    [Fact]
    public void Validate_Defaults_ReturnsNoProblem()
    {
        _format.Validate(new FileFormatOptions()).Should().BeEmpty();
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('|')]
    [InlineData(':')]
    [InlineData('\t')]
    public void Validate_SupportedDelimiter_ReturnsNoProblem(char delimiter)
    {
        _format.Validate(Options(c => c.Delimiter = delimiter)).Should().BeEmpty();
    }

    [Theory]
    [InlineData('x')]
    [InlineData('1')]
    [InlineData(' ')]
    [InlineData('"')]
    [InlineData('\n')]
    [InlineData('é')]
    public void Validate_UnsupportedDelimiter_NamesDelimiter(char delimiter)
    {
        _format.Validate(Options(c => c.Delimiter = delimiter)).Should().Contain(p => p.Contains("Format.Csv.Delimiter", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DelimiterX_NamesTheValue()
    {
        _format.Validate(Options(c => c.Delimiter = 'x')).Should().ContainSingle().Which.Should().Contain("'x'");
    }

    [Theory]
    [InlineData("\r")]
    [InlineData("")]
    [InlineData("\n\r")]
    [InlineData(";")]
    public void Validate_UnsupportedNewLine_NamesNewLine(string newLine)
    {
        _format.Validate(Options(c => c.NewLine = newLine)).Should().ContainSingle().Which.Should().Contain("Format.Csv.NewLine");
    }

    [Theory]
    [InlineData("%")]
    [InlineData("yyyy-MM-dd\\")]
    [InlineData("")]
    public void Validate_BadDateFormat_NamesDateFormat(string dateFormat)
    {
        _format.Validate(Options(c => c.DateFormat = dateFormat)).Should().ContainSingle().Which.Should().Contain("Format.Csv.DateFormat");
    }

    [Theory]
    [InlineData("%")]
    [InlineData("HH:mm\\")]
    public void Validate_BadTimestampFormat_NamesTimestampFormat(string timestampFormat)
    {
        _format.Validate(Options(c => c.TimestampFormat = timestampFormat)).Should().ContainSingle().Which.Should().Contain("Format.Csv.TimestampFormat");
    }

    [Theory]
    [InlineData(',', ',')]
    [InlineData('a', ',')]
    [InlineData('é', ';')]
    [InlineData(' ', ';')]
    public void Validate_BadQuote_NamesQuote(char quote, char delimiter)
    {
        _format.Validate(Options(c =>
        {
            c.Quote = quote;
            c.Delimiter = delimiter;
        })).Should().ContainSingle().Which.Should().Contain("Format.Csv.Quote");
    }

    [Fact]
    public void Validate_EscapeIsDelimiter_NamesEscape()
    {
        _format.Validate(Options(c => c.Escape = ',')).Should().ContainSingle().Which.Should().Contain("Format.Csv.Escape");
    }

    [Fact]
    public void Validate_QuoteAllWithoutQuote_NamesBoth()
    {
        _format.Validate(Options(c =>
        {
            c.Quote = null;
            c.QuoteAll = true;
        })).Should().ContainSingle().Which.Should().Contain("QuoteAll").And.Contain("Quote");
    }

    [Fact]
    public void Validate_NullNullValue_NamesNullValue()
    {
        _format.Validate(Options(c => c.NullValue = null!)).Should().ContainSingle().Which.Should().Contain("Format.Csv.NullValue");
    }

    [Fact]
    public void Validate_UnknownEncoding_NamesEncoding()
    {
        _format.Validate(Options(c => c.Encoding = (CsvEncoding)42)).Should().ContainSingle().Which.Should().Contain("Format.Csv.Encoding");
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var problems = _format.Validate(Options(c =>
        {
            c.Delimiter = 'x';
            c.NewLine = "\r";
            c.DateFormat = "%";
            c.TimestampFormat = "";
        }));

        problems.Should().HaveCount(4);
        problems.Should().Contain(p => p.Contains("Delimiter", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("NewLine", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("DateFormat", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("TimestampFormat", StringComparison.Ordinal));
    }

    private static FileFormatOptions Options(Action<CsvFormatOptions> configure)
    {
        var options = new FileFormatOptions();
        configure(options.Csv);
        return options;
    }
}
