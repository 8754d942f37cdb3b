using System.Diagnostics;

namespace Catalog.Bench;

/// <summary>The process's CPU time so far (all of it, and the kernel's share) and what the JIT has compiled.</summary>
internal readonly record struct CpuUsage(TimeSpan Cpu, TimeSpan Kernel, TimeSpan Jit, long Methods)
{
    public static CpuUsage Now()
    {
        using var process = Process.GetCurrentProcess();
        return new(process.TotalProcessorTime, process.PrivilegedProcessorTime,
            System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
    }

    public static CpuUsage operator -(CpuUsage after, CpuUsage before) =>
        new(after.Cpu - before.Cpu, after.Kernel - before.Kernel, after.Jit - before.Jit, after.Methods - before.Methods);
}
