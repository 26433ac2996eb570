using System.Reflection;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// A store that refuses the run writes a predicate picks (by method name and record), as a database away for a while.
/// </summary>
public class OutageStore : DispatchProxy
{
    private IExportStore _inner = null!;
    private Func<string, ExportRunRecord, bool> _refuse = null!;

    public static IExportStore Wrap(IExportStore inner, Func<string, ExportRunRecord, bool> refuse)
    {
        var proxy = Create<IExportStore, OutageStore>();
        var self = (OutageStore)(object)proxy;
        self._inner = inner;
        self._refuse = refuse;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (args is [ExportRunRecord run, ..] && _refuse(targetMethod!.Name, run))
        {
            throw new IOException("The store is away.");
        }

        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
