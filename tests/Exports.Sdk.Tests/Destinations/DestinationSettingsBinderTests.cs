using System.ComponentModel.DataAnnotations;

namespace Exports.Sdk.Tests.Destinations;

public class DestinationSettingsBinderTests
{
    public enum Mode
    {
        Fast,
        Careful,
    }

    public sealed class SampleOptions : IValidatableObject
    {
        [DestinationSetting("The host.", IsRequired = true)]
        public string Host { get; set; } = "";

        [DestinationSetting("The port.", Minimum = "1", Maximum = "65535")]
        public int Port { get; set; } = 22;

        [DestinationSetting("The token.", IsSecret = true, AuthScheme = "token")]
        public string? Token { get; set; }

        [DestinationSetting("The part size.", Minimum = "5MiB", Maximum = "1GiB")]
        public long PartSize { get; set; } = 8L << 20;

        [DestinationSetting("The timeout.", Maximum = "01:00:00")]
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

        [DestinationSetting("The flag.")]
        public bool Flag { get; set; }

        [DestinationSetting("The endpoint.")]
        public Uri? Endpoint { get; set; }

        [DestinationSetting("The mode.")]
        public Mode Mode { get; set; } = Mode.Careful;

        [DestinationSetting("A URL with a token in it.", IsSecret = true)]
        public Uri? SecretUrl { get; set; }

        [DestinationSetting("The tags.", Name = "tagList")]
        public IList<string> Tags { get; } = [];

        /// <summary>Not a setting: no attribute.</summary>
        public object? Credential { get; set; }

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Flag && Token is null)
            {
                yield return new("setting 'flag' needs 'token'.", [nameof(Flag)]);
            }
        }
    }

    private static DestinationDefinition Definition(params (string Key, string? Value)[] settings)
    {
        var definition = new DestinationDefinition { Name = "d", Type = "sample" };
        foreach (var (key, value) in settings)
        {
            definition.Settings[key] = value;
        }

        return definition;
    }

    [Fact]
    public void Describe_DerivesKeysDefaultsAndFlagsFromTheOptionsType()
    {
        var settings = DestinationSettingsBinder.Describe<SampleOptions>();

        settings.Select(s => s.Name).Should().Equal("host", "port", "token", "partSize", "timeout", "flag", "endpoint", "mode", "secretUrl", "tagList");
        settings.Single(s => s.Name == "host").IsRequired.Should().BeTrue();
        settings.Single(s => s.Name == "port").DefaultValue.Should().Be("22");
        settings.Single(s => s.Name == "partSize").DefaultValue.Should().Be("8MiB");
        settings.Single(s => s.Name == "timeout").DefaultValue.Should().Be("00:00:30");
        settings.Single(s => s.Name == "flag").DefaultValue.Should().Be("false");
        settings.Single(s => s.Name == "mode").DefaultValue.Should().Be("Careful");
        settings.Single(s => s.Name == "token").Should().Match<DestinationSettingDescriptor>(s => s.IsSecret && s.AuthScheme == "token" && s.DefaultValue == null);
        settings.Single(s => s.Name == "tagList").DefaultValue.Should().BeNull();
    }

    [Theory]
    [InlineData("8388608", 8L << 20)]
    [InlineData("8MiB", 8L << 20)]
    [InlineData("8 MB", 8L << 20)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("1g", 1L << 30)]
    public void Bind_Sizes_AcceptBytesAndUnits(string text, long expected)
    {
        var options = DestinationSettingsBinder.Bind<SampleOptions>(Definition(("host", "h"), ("PARTSIZE", text)), out var problems);

        problems.Should().BeEmpty();
        options.PartSize.Should().Be(expected);
    }

    [Theory]
    [InlineData("00:00:30", 30_000)]
    [InlineData("30s", 30_000)]
    [InlineData("250ms", 250)]
    [InlineData("2m", 120_000)]
    [InlineData("0.5h", 1_800_000)]
    public void Bind_Durations_AcceptClockAndUnits(string text, double milliseconds)
    {
        var options = DestinationSettingsBinder.Bind<SampleOptions>(Definition(("host", "h"), ("timeout", text)), out var problems);

        problems.Should().BeEmpty();
        options.Timeout.TotalMilliseconds.Should().Be(milliseconds);
    }

    [Fact]
    public void Bind_ReadsEveryType_KeysCaseInsensitively_ValuesTrimmed()
    {
        var options = DestinationSettingsBinder.Bind<SampleOptions>(
            Definition(("HOST", " h "), ("port", "2222"), ("token", "t"), ("flag", "TRUE"), ("endpoint", "https://e.example/"), ("mode", "fast"), ("tagList", "a, b;c")),
            out var problems);

        problems.Should().BeEmpty();
        options.Should().BeEquivalentTo(new { Host = "h", Port = 2222, Token = "t", Flag = true, Endpoint = new Uri("https://e.example/"), Mode = Mode.Fast, Tags = new[] { "a", "b", "c" } });
    }

    [Fact]
    public void Bind_GathersEveryProblem_NamingDestinationSettingAndValue_ButNeverASecret()
    {
        var definition = Definition(("port", "99999"), ("flag", "maybe"), ("partSize", "1MiB"), ("typo", "x"), ("timeout", "soon"), ("mode", "7"));
        definition.Settings["endpoint"] = "not a url";

        DestinationSettingsBinder.Bind<SampleOptions>(definition, out var problems);

        problems.Should().OnlyContain(p => p.StartsWith("Destination 'd': setting", StringComparison.Ordinal)).And.HaveCount(8);
        problems.Should().Contain("Destination 'd': setting 'typo' is not known; known settings: endpoint, flag, host, mode, partSize, port, secretUrl, tagList, timeout, token.")
            .And.Contain("Destination 'd': setting 'host' is required (the host).")
            .And.Contain("Destination 'd': setting 'port' must be a whole number from 1 to 65535, not '99999'.")
            .And.Contain("Destination 'd': setting 'flag' must be true or false, not 'maybe'.")
            .And.Contain("Destination 'd': setting 'partSize' must be a size (e.g. '8MiB') from 5MiB to 1GiB, not '1MiB'.")
            .And.Contain(p => p.Contains("'timeout' must be a duration", StringComparison.Ordinal) && p.Contains("not 'soon'", StringComparison.Ordinal))
            .And.Contain("Destination 'd': setting 'mode' must be one of Fast, Careful, not '7'.")
            .And.Contain("Destination 'd': setting 'endpoint' must be an absolute URL.", "a URL that does not parse may be a pasted connection string: it is not repeated");

        DestinationSettingsBinder.Bind<SampleOptions>(Definition(("host", "h"), ("secretUrl", "sig=s3cr3t")), out var secretProblems);
        secretProblems.Should().Equal("Destination 'd': setting 'secretUrl' must be an absolute URL.");
        DestinationSettingsBinder.Bind<SampleOptions>(Definition(("host", "h"), ("endpoint", "BlobEndpoint=https://a.example;SharedAccessSignature=sv=1&sig=pasted-4b1d")), out var pasted);
        pasted.Should().Equal("Destination 'd': setting 'endpoint' must be an absolute URL.");
    }

    [Fact]
    public void Bind_AfterTheSettings_RunsTheOptionsOwnChecks()
    {
        DestinationSettingsBinder.Bind<SampleOptions>(Definition(("host", "h"), ("flag", "true")), out var problems);

        problems.Should().Equal("Destination 'd': setting 'flag' needs 'token'.");
    }

    [Fact]
    public void Bind_DefinitionWithoutAName_StillRunsTheOptionsOwnChecks()
    {
        // A destination being created with its name left empty: the name is reported as missing elsewhere, and the
        // options' checks still run instead of throwing on the empty name.
        var definition = Definition(("host", "h"), ("flag", "true"));
        definition.Name = "";

        DestinationSettingsBinder.Bind<SampleOptions>(definition, out var problems);

        problems.Should().Equal("Destination '': setting 'flag' needs 'token'.");
    }

    [Fact]
    public void Write_ThenBind_GivesTheSameOptions_AndNullRemovesTheKey()
    {
        var options = new SampleOptions { Host = "h", Port = 2200, Token = "t", PartSize = 16L << 20, Timeout = TimeSpan.FromMinutes(2), Endpoint = new Uri("http://x/"), Mode = Mode.Fast };
        options.Tags.Add("a");
        options.Tags.Add("b");
        var definition = Definition(("endpoint", "stale"));

        options.Endpoint = null;
        DestinationSettingsBinder.Write(options, definition.Settings);
        var read = DestinationSettingsBinder.Bind<SampleOptions>(definition, out var problems);

        problems.Should().BeEmpty();
        definition.Settings.Should().NotContainKey("endpoint").And.Contain("partSize", "16MiB").And.Contain("tagList", "a,b");
        read.Should().BeEquivalentTo(options, o => o.Excluding(x => x.Credential));
    }

    [Fact]
    public void Bind_BlankValues_CountAsAbsent_SoAFormMaySendEmptyFields()
    {
        var options = DestinationSettingsBinder.Bind<SampleOptions>(Definition(("host", "h"), ("port", " "), ("unknownButEmpty", "")), out var problems);

        problems.Should().BeEmpty();
        options.Port.Should().Be(22);
    }
}
