using System.Reflection;

namespace Exports.Sdk.Tests.Fixtures;

/// <summary>
/// A store that lets another writer in at the worst moment: just before the first dataflow write of an operation,
/// after the operation has made its checks.
/// </summary>
public class InterleavingStore : DispatchProxy
{
    private IExportStore _inner = null!;
    private Func<IExportStore, Task>? _beforeFirstWrite;

    public static IExportStore Wrap(IExportStore inner, Func<IExportStore, Task> beforeFirstWrite)
    {
        var proxy = Create<IExportStore, InterleavingStore>();
        var self = (InterleavingStore)(object)proxy;
        self._inner = inner;
        self._beforeFirstWrite = beforeFirstWrite;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name is nameof(IExportStore.UpdateDataflowAsync) or nameof(IExportStore.UpdateDataflowsAsync) && _beforeFirstWrite is { } hook)
        {
            _beforeFirstWrite = null;
            hook(_inner).GetAwaiter().GetResult();
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
