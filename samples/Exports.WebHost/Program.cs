using Exports.Sdk;
using Exports.Sdk.Testing;
using Exports.WebHost.Authentication;
using Exports.WebHost.Seeding;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

// dotnet run --project samples/Exports.WebHost   (http://127.0.0.1:5080/sign-in, then the dashboard at /exports)
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddExports()
    .BindConfiguration(builder.Configuration.GetSection(ExportsOptions.SectionName))
    .AddAudienceSource("demo", new SyntheticAudienceSource()
        .AddAudience("demo-audience", "Demo audience", builder.Configuration.GetValue("Demo:AudienceSize", 200_000))
        .AddAudience("newsletter", "Newsletter subscribers", 50_000)
        .AddAudience("churn-risk", "Churn risk", 5_000))
    .AddDatasetSource(DemoEvents.SourceName, DemoEvents.Create(builder.Configuration.GetValue("Demo:EventCount", 5_000)))
    // Destinations of these types can also be created while the host runs (API, dashboard), secrets stored encrypted.
    .AddAmazonS3Destinations()
    .AddAzureBlobDestinations()
    .AddSftpDestinations()
    .ProtectSecretsWithDataProtection(keys => keys.SetApplicationName("Exports.WebHost"))
    .AddHttpApi()
    .AddDashboard();

if (builder.Environment.IsDevelopment())
{
    // Trials and tests only: X-Demo-User / X-Demo-Role headers, or the /sign-in form's cookie. A real host adds JWT bearer or cookies here.
    builder.Services.AddAuthentication(DemoUserHandler.SchemeName)
        .AddScheme<AuthenticationSchemeOptions, DemoUserHandler>(DemoUserHandler.SchemeName, null);
}

builder.Services.AddAuthorization();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddExports();
builder.Services.AddHostedService<DemoDataflowSeeder>();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapOpenApi();
app.MapExportsApi("/exports/api");
app.MapExportsDashboard("/exports");
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ExportsHealthChecksBuilderExtensions.LiveTag) });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ExportsHealthChecksBuilderExtensions.ReadyTag) });
if (app.Environment.IsDevelopment())
{
    DemoSignIn.Map(app);
}

app.Run();

/// <summary>The web sample's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
