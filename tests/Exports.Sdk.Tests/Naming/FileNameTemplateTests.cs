using System.Text;

namespace Exports.Sdk.Tests.Naming;

public sealed class FileNameTemplateTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private static readonly FileNameContext Context = new()
    {
        DestinationName = "partner-sftp",
        DestinationId = "dst42",
        SegmentId = "seg-7",
        SegmentName = "VIP customers",
        OrganizationName = "Acme",
        SandboxName = "prod",
        Time = Time,
    };

    public static TheoryData<string> UnsafeNames() => new()
    {
        "../../etc/x",
        "..",
        ".",
        ".hidden",
        "a/b/c",
        "/absolute",
        "a\\b\\c",
        "C:\\Windows\\x",
        "tab\tnew\nline\rnul\0bell\u0007del\u007fnel\u0085",
        "..\\..\\x",
        "a:b*c?d\"e<f>g|h",
        new string('x', 300),
        new string('é', 300),
        new string('中', 300),
        string.Concat(Enumerable.Repeat("🎉", 150)),
        "ends with dots...",
        "ends with spaces   ",
        "   ",
        "",
    };

    [Fact]
    public void Validate_TemplateWithControlCharacters_ShowsThemEscaped_SoNoMessageIsSplit()
    {
        // Issue 21, item 12: a newline in the template used to be printed as it is, splitting the message in two.
        var errors = FileNameTemplate.Validate("%DESTINATION_NAME%\n%SEGMENT_ID%\r%NO\tPE%");

        errors.Should().NotBeEmpty();
        errors.Should().OnlyContain(e => !e.Any(char.IsControl));
        errors.Should().Contain(e => e.Contains("%DESTINATION_NAME%\\u000a%SEGMENT_ID%\\u000d", StringComparison.Ordinal));
        errors.Should().Contain(e => e.Contains("'%NO\\u0009PE%'", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Default_RendersDestinationSegmentAndUtcDateTime()
    {
        FileNameTemplate.Parse(FileNameTemplate.Default).Render(Context).Should().Be("partner-sftp_seg-7_20260304_050607");
    }

    [Fact]
    public void Render_EveryPlaceholderAndCustomText_RendersEachValue()
    {
        var template = FileNameTemplate.Parse(
            "export-%DESTINATION_NAME%-%DESTINATION_ID%-%SEGMENT_ID%-%SEGMENT_NAME%-%ORGANIZATION_NAME%-%SANDBOX_NAME%-%DATETIME(YYYY-MM-dd)%_v2 (final)");

        template.Render(Context).Should().Be("export-partner-sftp-dst42-seg-7-VIP customers-Acme-prod-2026-03-04_v2 (final)");
        template.IsStatic.Should().BeFalse();
    }

    [Fact]
    public void Render_Timestamp_RendersTenDigitUnixSeconds()
    {
        var template = FileNameTemplate.Parse("%DESTINATION_NAME%_%SEGMENT_ID%_%TIMESTAMP%");

        template.Render(Context).Should().Be("partner-sftp_seg-7_1772600767");
        template.Render(Context with { Time = new DateTimeOffset(1971, 1, 1, 0, 0, 0, TimeSpan.Zero) }).Should().Be("partner-sftp_seg-7_0031536000");
        template.Render(Context with { Time = new DateTimeOffset(2001, 9, 9, 3, 46, 40, TimeSpan.FromHours(2)) }).Should().Be("partner-sftp_seg-7_1000000000");
        template.IsStatic.Should().BeFalse();
    }

    [Theory]
    [InlineData("YYYYMMdd_HHmmss", "20260304_050607")]
    [InlineData("YYYYMMddHHmmss", "20260304050607")]
    [InlineData("YYYY-MM-dd", "2026-03-04")]
    [InlineData("YYYY.MM.dd.HH.mm.ss", "2026.03.04.05.06.07")]
    [InlineData("dd-MM-YYYY", "04-03-2026")]
    [InlineData("HHmm", "0506")]
    [InlineData("YYYY", "2026")]
    [InlineData("ss", "07")]
    [InlineData("MM_dd", "03_04")]
    public void Render_DateTimePattern_RendersPatternLetters(string pattern, string expected)
    {
        FileNameTemplate.Parse($"%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME({pattern})%").Render(Context)
            .Should().Be("partner-sftp_seg-7_" + expected);
    }

    [Fact]
    public void Render_TimeWithOffset_RendersUtc()
    {
        var context = Context with { Time = new DateTimeOffset(2026, 3, 4, 1, 30, 0, TimeSpan.FromHours(-5)) };

        FileNameTemplate.Parse("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%").Render(context)
            .Should().Be("partner-sftp_seg-7_20260304_063000");
    }

    [Fact]
    public void Render_MissingOptionalValues_RendersNothingForThem()
    {
        var context = Context with { SegmentName = null, OrganizationName = null, SandboxName = null };

        FileNameTemplate.Parse("%DESTINATION_NAME%_%SEGMENT_ID%_%SEGMENT_NAME%_%ORGANIZATION_NAME%_%SANDBOX_NAME%").Render(context)
            .Should().Be("partner-sftp_seg-7___");
    }

    [Theory]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%", true)]
    [InlineData("%SEGMENT_ID%-%DESTINATION_NAME%-%SEGMENT_NAME%-%DESTINATION_ID%-%ORGANIZATION_NAME%-%SANDBOX_NAME%-latest", true)]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYY)%", false)]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%TIMESTAMP%", false)]
    public void IsStatic_TemplateWithOrWithoutDatePart_TrueOnlyWithoutOne(string template, bool expected)
    {
        FileNameTemplate.Parse(template).IsStatic.Should().Be(expected);
        FileNameTemplate.Parse(template).Template.Should().Be(template);
    }

    [Theory]
    [InlineData("%SEGMENT_ID%_%DATETIME(YYYYMMdd)%", "must contain %DESTINATION_NAME%")]
    [InlineData("%DESTINATION_NAME%_%DATETIME(YYYYMMdd)%", "must contain %SEGMENT_ID%")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%FOO%", "unknown placeholder '%FOO%'")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%segment_name%", "unknown placeholder '%segment_name%'")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd)%_%TIMESTAMP%", "both %DATETIME(…)% and %TIMESTAMP%")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYY)%%DATETIME(MM)%_%TIMESTAMP%", "both %DATETIME(…)% and %TIMESTAMP%")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID", "not closed")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_100%", "not closed")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMxx)%", "'x' at position 7 of the %DATETIME(YYYYMMxx)% pattern")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(yyyy)%", "'y' at position 1")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYY/MM)%", "'/' at position 5")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME()%", "empty %DATETIME()% pattern")]
    [InlineData("%DESTINATION_NAME%/%SEGMENT_ID%", "character '/' at position 19")]
    [InlineData("%DESTINATION_NAME%\\%SEGMENT_ID%", "character '\\'")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%:x", "character ':'")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%\nx", "character '\\u000a'")]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%_a*b", "character '*'")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    public void Validate_InvalidTemplate_NamesTheProblem(string template, string expected)
    {
        FileNameTemplate.Validate(template).Should().Contain(p => p.Contains(expected, StringComparison.Ordinal));
        var error = FluentActions.Invoking(() => FileNameTemplate.Parse(template)).Should().Throw<ExportValidationException>().Which;
        error.Errors.Should().Contain(p => p.Contains(expected, StringComparison.Ordinal));
        error.Message.Should().Contain(expected);
    }

    [Fact]
    public void Validate_Null_ReportsEmpty()
    {
        FileNameTemplate.Validate(null).Should().ContainSingle().Which.Should().Contain("empty");
    }

    [Fact]
    public void Validate_TooLong_NamesTheLimit()
    {
        var template = "%DESTINATION_NAME%_%SEGMENT_ID%_" + new string('a', 300);

        FileNameTemplate.Validate(template).Should().ContainSingle().Which.Should().Contain("255");
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var problems = FileNameTemplate.Validate("%SEGMENT_NAME%_%FOO%_%DATETIME(QQ)%/x");

        problems.Should().Contain(p => p.Contains("%DESTINATION_NAME%", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("%SEGMENT_ID%", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("%FOO%", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'Q'", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("'/'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(FileNameTemplate.Default)]
    [InlineData("%DESTINATION_NAME%_%SEGMENT_ID%")]
    [InlineData("%SANDBOX_NAME%.%ORGANIZATION_NAME%.%DESTINATION_ID%.%DESTINATION_NAME%.%SEGMENT_ID%.%SEGMENT_NAME%.%TIMESTAMP%")]
    [InlineData("Export (daily) - %DESTINATION_NAME% - %SEGMENT_ID% - é")]
    public void Validate_ValidTemplate_ReturnsNoProblem(string template)
    {
        FileNameTemplate.Validate(template).Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(UnsafeNames))]
    public void Render_UnsafeSegmentName_ProducesSafeFileName(string name)
    {
        var template = FileNameTemplate.Parse("%SEGMENT_NAME%%DESTINATION_NAME%%SEGMENT_ID%");

        var rendered = template.Render(Context with { SegmentName = name, DestinationName = "", SegmentId = "" });

        AssertSafe(rendered);
    }

    [Theory]
    [MemberData(nameof(UnsafeNames))]
    public void Render_UnsafeValuesInEveryPlaceholder_ProducesSafeFileName(string value)
    {
        var template = FileNameTemplate.Parse(
            "%SEGMENT_NAME%_%DESTINATION_NAME%_%SEGMENT_ID%_%DESTINATION_ID%_%ORGANIZATION_NAME%_%SANDBOX_NAME%_%DATETIME(YYYYMMdd)%");

        var rendered = template.Render(new FileNameContext
        {
            DestinationName = value,
            DestinationId = value,
            SegmentId = value,
            SegmentName = value,
            OrganizationName = value,
            SandboxName = value,
            Time = Time,
        });

        AssertSafe(rendered);
    }

    [Fact]
    public void Render_TraversalName_KeepsReadableRestAndDropsSeparators()
    {
        var rendered = FileNameTemplate.Parse("%SEGMENT_NAME%_%DESTINATION_NAME%_%SEGMENT_ID%")
            .Render(Context with { SegmentName = "../../etc/x" });

        rendered.Should().EndWith("etc_x_partner-sftp_seg-7");
        AssertSafe(rendered);
    }

    [Fact]
    public void Render_LongName_FitsWithRoomForPartSuffix()
    {
        var rendered = FileNameTemplate.Parse("%DESTINATION_NAME%_%SEGMENT_ID%_%SEGMENT_NAME%")
            .Render(Context with { SegmentName = new string('n', 300) });

        rendered.Should().StartWith("partner-sftp_seg-7_nnn");
        rendered.Length.Should().BeInRange(200, 255);
    }

    [Theory]
    [InlineData('n')]
    [InlineData('é')]
    [InlineData('中')]
    public void Render_LongSegmentNameFirst_KeepsRequiredPartsAndDate(char letter)
    {
        var template = FileNameTemplate.Parse("%SEGMENT_NAME%_%DESTINATION_NAME%_%SEGMENT_ID%_%DATETIME(YYYYMMdd_HHmmss)%");

        var rendered = template.Render(Context with { SegmentName = new string(letter, 300) });

        rendered.Should().StartWith(new string(letter, 10)).And.EndWith("_partner-sftp_seg-7_20260304_050607");
        AssertSafe(rendered);
        template.Render(Context with { SegmentName = new string(letter, 300), Time = Time.AddDays(1) })
            .Should().NotBe(rendered, "a long audience name must not cut the date away, or each run would overwrite the last");
    }

    [Fact]
    public void Render_SeveralLongValues_ShortensEachAndKeepsFixedText()
    {
        var template = FileNameTemplate.Parse("%SEGMENT_NAME%-%ORGANIZATION_NAME%-%DESTINATION_NAME%-%SEGMENT_ID%-%TIMESTAMP%-end");

        var rendered = template.Render(Context with { SegmentName = new string('s', 1000), OrganizationName = new string('o', 400) });

        rendered.Should().EndWith("-partner-sftp-seg-7-1772600767-end").And.Contain("-ooo").And.StartWith("sss");
        AssertSafe(rendered);
    }

    internal static void AssertSafe(string name)
    {
        name.Should().NotBeNullOrEmpty();
        name.Should().NotContainAny("/", "\\");
        name.Should().NotStartWith(".");
        name.Should().NotBe("..");
        name.Length.Should().BeLessThanOrEqualTo(255);
        Encoding.UTF8.GetByteCount(name).Should().BeLessThanOrEqualTo(255);
        name.Any(char.IsControl).Should().BeFalse("control characters never reach a file name: {0}", name);
        DestinationPath.Check(name).Should().BeNull();
        Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(name)).Should().Be(name, "the name is well-formed Unicode");
    }
}
