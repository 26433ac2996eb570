namespace Exports.Sdk.AspNetCore;

/// <summary>Registered by <c>AddHttpApi()</c>, so that mapping the API without it fails with a clear message.</summary>
internal sealed class HttpApiMarker;
