using System.Reflection;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>A store whose saves of ended runs fail while <see cref="Down"/> is set, as a database away for a while.</summary>
public class OutageStore : DispatchProxy
{
    private IExportStore _inner = null!;
    private Func<bool> _down = null!;

    /// <summary>How many saves of ended runs were refused.</summary>
    public int Refused { get; private set; }

    public static IExportStore Wrap(IExportStore inner, Func<bool> down)
    {
        var proxy = Create<IExportStore, OutageStore>();
        var self = (OutageStore)(object)proxy;
        self._inner = inner;
        self._down = down;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IExportStore.SaveRunAsync) && args![0] is ExportRunRecord { IsActive: false } && _down())
        {
            Refused++;
            throw new IOException("The store is away.");
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
